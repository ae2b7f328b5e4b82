// How good a predictor is: rank agreement (what a search cares about, since it
// only compares candidates) and error size (what a constraint cares about).
// Every function takes the truth first, the prediction second, and throws
// PredictError for empty or mismatched inputs or non-finite values. Measures
// that are undefined for the data (tau of a constant sample, relative errors
// against a zero truth, R^2 of a constant truth) return NaN rather than throw,
// so one undefined figure does not hide the others in a report.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nasctl::predict {

// Kendall's tau-b (ties in either sample corrected, as scipy.stats.kendalltau),
// O(n log n) by Knight's merge-sort algorithm. NaN when either sample is
// constant or has a single element.
double kendall_tau(const std::vector<double>& truth, const std::vector<double>& predicted);

// Root mean squared error, in the unit of the data.
double rmse(const std::vector<double>& truth, const std::vector<double>& predicted);

// Mean absolute percentage error, in percent: 100/n * sum |p - t| / |t|.
double mape(const std::vector<double>& truth, const std::vector<double>& predicted);

// Share (0..1) of predictions within +-tolerance of the truth, relative to
// |truth| and inclusive (nn-Meter reports this at 10%).
double within_fraction(const std::vector<double>& truth, const std::vector<double>& predicted, double tolerance = 0.10);

// Coefficient of determination 1 - SS_res / SS_tot.
double r_squared(const std::vector<double>& truth, const std::vector<double>& predicted);

struct Statistics {
  std::size_t n = 0;
  double kendall_tau = 0.0;
  double rmse = 0.0;
  double mape = 0.0;       // percent
  double within_10 = 0.0;  // share within +-10%, 0..1
  double r_squared = 0.0;
};

Statistics compute_statistics(const std::vector<double>& truth, const std::vector<double>& predicted);

// One line for logs: "n=250 kendall_tau=0.912 mape=0.31% rmse=0.293 within_10%=100.0% r2=0.874".
std::string summary(const Statistics& stats);

}  // namespace nasctl::predict
