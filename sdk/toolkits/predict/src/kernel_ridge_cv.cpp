// Length-scale and penalty selection for kernel ridge: one kernel matrix and
// one eigendecomposition per length-scale, exact leave-one-out RMSE for every
// penalty from it, lowest wins, and the winner's coefficients are kept (no
// refit needed: the LOO computation already solved the full system).
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "input_checks.hpp"
#include "kernel_solver.hpp"
#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/kernel_ridge.hpp"
#include "rbf_basis.hpp"
#include "score_ties.hpp"
#include "statistics_json.hpp"

namespace nasctl::predict {

namespace {

void check_grid(std::vector<double>& grid, const char* what, const char* example) {
  if (grid.empty())
    throw PredictError(std::string("kernel_ridge_cv: empty ") + what + " grid; fix: pass e.g. " + example);
  for (double v : grid) {
    if (!(v > 0.0) || !std::isfinite(v))
      throw PredictError(std::string("kernel_ridge_cv: ") + what + " " + std::to_string(v) +
                         " is not a finite number > 0; fix: pass e.g. " + example);
  }
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
}

void check_options(KernelRidgeCvOptions& o) {
  check_grid(o.length_scale_factors, "length-scale factor", "{0.5, 1, 2, 4}");
  check_grid(o.lambdas, "lambda", "{1e-3, 1e-2, 0.1, 1}");
}

}  // namespace

KernelRidgeCV::KernelRidgeCV(KernelRidgeCvOptions options) : options_(std::move(options)) {
  check_options(options_);
  model_.normalize_ = options_.normalize;
}

void KernelRidgeCV::fit(const FeatureRows& x, const std::vector<double>& y) {
  detail::check_training_data(x, y, "kernel_ridge_cv", kMinFitSamples);
  const std::size_t n = x.size();
  std::vector<double> weights = detail::rbf_feature_weights(x, options_.normalize);
  std::vector<double> rows;
  for (const auto& row : x) rows.insert(rows.end(), row.begin(), row.end());
  const std::vector<double> d2 = detail::RbfBasis(std::move(rows), x.front().size(), weights).pairwise_squared_distances();
  const double median = detail::median_nonzero_distance(d2, n);
  if (!(median > 0.0))
    throw PredictError("kernel_ridge_cv: all " + std::to_string(n) +
                       " samples have the same features, so nothing tells their targets apart; fix: encode the "
                       "samples so that different architectures differ");

  double y_mean = 0.0;
  for (double v : y) y_mean += v / static_cast<double>(n);
  std::vector<double> centred(n);
  for (std::size_t i = 0; i < n; ++i) centred[i] = y[i] - y_mean;

  KernelRidgeCvReport report;
  report.median_distance = median;
  report.loo_rmse.assign(options_.length_scale_factors.size(), {});
  // Every grid point's leave-one-out fit, visited largest length-scale and
  // penalty first: the order of preference when scores tie (to rounding,
  // score_ties.hpp), so that ties keep the smoother model on every machine.
  struct GridFit {
    std::size_t f, l;
    std::vector<double> alpha, loo;
  };
  std::vector<GridFit> fits;
  std::vector<double> scores;
  std::vector<double> kernel(d2.size());
  for (std::size_t f = options_.length_scale_factors.size(); f-- > 0;) {
    const double length_scale = options_.length_scale_factors[f] * median;
    const double gamma = 1.0 / (2.0 * length_scale * length_scale);
    for (std::size_t k = 0; k < d2.size(); ++k) kernel[k] = std::exp(-gamma * d2[k]);
    const detail::KernelSolver solver(kernel, n, centred);
    report.loo_rmse[f].assign(options_.lambdas.size(), 0.0);
    for (std::size_t l = options_.lambdas.size(); l-- > 0;) {
      GridFit fit{f, l, {}, {}};
      solver.leave_one_out(options_.lambdas[l], fit.alpha, fit.loo);
      double sse = 0.0;
      for (std::size_t i = 0; i < n; ++i) sse += (fit.loo[i] - centred[i]) * (fit.loo[i] - centred[i]);
      report.loo_rmse[f][l] = std::sqrt(sse / static_cast<double>(n));
      scores.push_back(report.loo_rmse[f][l]);
      fits.push_back(std::move(fit));
    }
  }
  const std::size_t chosen = detail::preferred_lowest(scores);
  if (chosen == fits.size())
    throw PredictError("kernel_ridge_cv: no length-scale and penalty gave a finite leave-one-out error; fix: check "
                       "the features for extreme values");
  const std::size_t best_f = fits[chosen].f, best_l = fits[chosen].l;
  std::vector<double> best_alpha = std::move(fits[chosen].alpha), best_loo = std::move(fits[chosen].loo);

  report.length_scale_factor = options_.length_scale_factors[best_f];
  report.length_scale = report.length_scale_factor * median;
  report.lambda = options_.lambdas[best_l];
  report.on_grid_edge = (options_.length_scale_factors.size() > 1 &&
                         (best_f == 0 || best_f + 1 == options_.length_scale_factors.size())) ||
                        (options_.lambdas.size() > 1 && (best_l == 0 || best_l + 1 == options_.lambdas.size()));
  for (double& v : best_loo) v += y_mean;
  report.loo = compute_statistics(y, best_loo);
  report.loo_predictions = std::move(best_loo);

  model_.length_scale_ = report.length_scale;
  model_.lambda_ = report.lambda;
  model_.normalize_ = options_.normalize;
  model_.install(x, std::move(weights), y_mean, std::move(best_alpha));
  report_ = std::move(report);
}

nlohmann::json KernelRidgeCV::state() const {
  return {{"options",
           {{"length_scale_factors", options_.length_scale_factors},
            {"lambdas", options_.lambdas},
            {"normalize", options_.normalize}}},
          {"report",
           {{"length_scale", report_.length_scale},
            {"length_scale_factor", report_.length_scale_factor},
            {"lambda", report_.lambda},
            {"median_distance", report_.median_distance},
            {"on_grid_edge", report_.on_grid_edge},
            {"loo_rmse", report_.loo_rmse},
            {"loo_statistics", detail::statistics_json(report_.loo)}}},
          {"model", model_.state()}};
}

void KernelRidgeCV::restore(const nlohmann::json& state) {
  const auto& o = state.at("options");
  KernelRidgeCvOptions options;
  options.length_scale_factors = o.at("length_scale_factors").get<std::vector<double>>();
  options.lambdas = o.at("lambdas").get<std::vector<double>>();
  options.normalize = o.at("normalize").get<bool>();
  try {
    check_options(options);
  } catch (const PredictError& e) {
    throw DataError(std::string("kernel_ridge_cv state: ") + e.what());
  }
  const auto& r = state.at("report");
  KernelRidgeCvReport report;
  report.length_scale = r.at("length_scale").get<double>();
  report.length_scale_factor = r.at("length_scale_factor").get<double>();
  report.lambda = r.at("lambda").get<double>();
  report.median_distance = r.at("median_distance").get<double>();
  report.on_grid_edge = r.at("on_grid_edge").get<bool>();
  report.loo_rmse = r.at("loo_rmse").get<std::vector<std::vector<double>>>();
  report.loo = detail::statistics_from_json(r.at("loo_statistics"));
  model_.restore(state.at("model"));  // parses fully before it changes anything
  options_ = std::move(options);
  report_ = std::move(report);
}

}  // namespace nasctl::predict
