// Rank and error statistics of predictions. Kendall's tau-b follows Knight
// (1966): sort by (truth, prediction), count ties, then count discordant
// pairs as the swaps of a merge sort on the predictions, O(n log n).
#include "nasctl/predict/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>

#include "nasctl/predict/error.hpp"

namespace nasctl::predict {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_pair(const std::vector<double>& truth, const std::vector<double>& predicted, const char* what) {
  if (truth.size() != predicted.size())
    throw PredictError(std::string(what) + ": " + std::to_string(truth.size()) + " true values but " +
                       std::to_string(predicted.size()) + " predictions; fix: pass one prediction per true value");
  if (truth.empty()) throw PredictError(std::string(what) + ": no values; fix: pass at least one pair");
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (!std::isfinite(truth[i]) || !std::isfinite(predicted[i]))
      throw PredictError(std::string(what) + ": pair " + std::to_string(i) + " is not finite (" +
                         std::to_string(truth[i]) + ", " + std::to_string(predicted[i]) +
                         "); fix: drop or impute missing values first");
  }
}

// Pairs tied within each run of equal values of a sorted sequence.
template <typename Equal>
int64_t tied_pairs(const std::vector<std::size_t>& order, Equal equal) {
  int64_t pairs = 0;
  int64_t run = 1;
  for (std::size_t i = 1; i <= order.size(); ++i) {
    if (i < order.size() && equal(order[i - 1], order[i])) {
      ++run;
      continue;
    }
    pairs += run * (run - 1) / 2;
    run = 1;
  }
  return pairs;
}

// Sorts v[lo, hi) ascending and returns its number of inversions (i < j with
// v[i] > v[j]; equal values are not inversions).
int64_t sort_counting_inversions(std::vector<double>& v, std::vector<double>& buffer, std::size_t lo, std::size_t hi) {
  if (hi - lo < 2) return 0;
  const std::size_t mid = lo + (hi - lo) / 2;
  int64_t swaps = sort_counting_inversions(v, buffer, lo, mid) + sort_counting_inversions(v, buffer, mid, hi);
  std::size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    if (v[j] < v[i]) {
      swaps += static_cast<int64_t>(mid - i);  // v[j] jumps over every element left in the left half
      buffer[k++] = v[j++];
    } else {
      buffer[k++] = v[i++];
    }
  }
  while (i < mid) buffer[k++] = v[i++];
  while (j < hi) buffer[k++] = v[j++];
  std::copy(buffer.begin() + static_cast<std::ptrdiff_t>(lo), buffer.begin() + static_cast<std::ptrdiff_t>(hi),
            v.begin() + static_cast<std::ptrdiff_t>(lo));
  return swaps;
}

}  // namespace

double kendall_tau(const std::vector<double>& truth, const std::vector<double>& predicted) {
  check_pair(truth, predicted, "kendall_tau");
  const std::size_t n = truth.size();
  if (n < 2) return kNaN;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return truth[a] != truth[b] ? truth[a] < truth[b] : predicted[a] < predicted[b];
  });
  const int64_t ties_truth = tied_pairs(order, [&](std::size_t a, std::size_t b) { return truth[a] == truth[b]; });
  const int64_t ties_both = tied_pairs(
      order, [&](std::size_t a, std::size_t b) { return truth[a] == truth[b] && predicted[a] == predicted[b]; });

  // Within a run of tied truths the predictions are already ascending, so
  // the inversions left are exactly the discordant pairs.
  std::vector<double> p(n), buffer(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = predicted[order[i]];
  const int64_t discordant = sort_counting_inversions(p, buffer, 0, n);
  std::vector<std::size_t> sorted(n);
  std::iota(sorted.begin(), sorted.end(), 0);
  const int64_t ties_predicted = tied_pairs(sorted, [&](std::size_t a, std::size_t b) { return p[a] == p[b]; });

  const int64_t pairs = static_cast<int64_t>(n) * static_cast<int64_t>(n - 1) / 2;
  const double untied_truth = static_cast<double>(pairs - ties_truth);
  const double untied_predicted = static_cast<double>(pairs - ties_predicted);
  if (untied_truth == 0.0 || untied_predicted == 0.0) return kNaN;
  // concordant - discordant, from the counts above
  const double s = static_cast<double>(pairs - ties_truth - ties_predicted + ties_both - 2 * discordant);
  return s / std::sqrt(untied_truth * untied_predicted);
}

double rmse(const std::vector<double>& truth, const std::vector<double>& predicted) {
  check_pair(truth, predicted, "rmse");
  double sum = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) sum += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
  return std::sqrt(sum / static_cast<double>(truth.size()));
}

double mape(const std::vector<double>& truth, const std::vector<double>& predicted) {
  check_pair(truth, predicted, "mape");
  double sum = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] == 0.0) return kNaN;
    sum += std::abs(predicted[i] - truth[i]) / std::abs(truth[i]);
  }
  return 100.0 * sum / static_cast<double>(truth.size());
}

double within_fraction(const std::vector<double>& truth, const std::vector<double>& predicted, double tolerance) {
  check_pair(truth, predicted, "within_fraction");
  if (!(tolerance >= 0.0))
    throw PredictError("within_fraction: tolerance " + std::to_string(tolerance) +
                       " is negative; fix: pass a relative tolerance such as 0.10");
  std::size_t inside = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] == 0.0) return kNaN;
    if (std::abs(predicted[i] - truth[i]) <= tolerance * std::abs(truth[i])) ++inside;
  }
  return static_cast<double>(inside) / static_cast<double>(truth.size());
}

double r_squared(const std::vector<double>& truth, const std::vector<double>& predicted) {
  check_pair(truth, predicted, "r_squared");
  const double mean = std::accumulate(truth.begin(), truth.end(), 0.0) / static_cast<double>(truth.size());
  double residual = 0.0, total = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    residual += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
    total += (truth[i] - mean) * (truth[i] - mean);
  }
  if (total == 0.0) return kNaN;
  return 1.0 - residual / total;
}

Statistics compute_statistics(const std::vector<double>& truth, const std::vector<double>& predicted) {
  Statistics s;
  s.n = truth.size();
  s.kendall_tau = kendall_tau(truth, predicted);
  s.rmse = rmse(truth, predicted);
  s.mape = mape(truth, predicted);
  s.within_10 = within_fraction(truth, predicted, 0.10);
  s.r_squared = r_squared(truth, predicted);
  return s;
}

std::string summary(const Statistics& s) {
  char line[256];
  std::snprintf(line, sizeof line, "n=%zu kendall_tau=%.4f mape=%.3f%% rmse=%.4g within_10%%=%.1f%% r2=%.4f", s.n,
                s.kendall_tau, s.mape, s.rmse, 100.0 * s.within_10, s.r_squared);
  return line;
}

}  // namespace nasctl::predict
