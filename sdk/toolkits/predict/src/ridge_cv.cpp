// Lambda selection for ridge: the same folds for every lambda, one
// decomposition per training fold for the whole grid, lowest pooled
// out-of-fold RMSE wins, then a final fit on every sample.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "input_checks.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/ridge.hpp"
#include "ridge_solver.hpp"
#include "score_ties.hpp"
#include "statistics_json.hpp"

namespace nasctl::predict {

namespace {

void check_options(const RidgeCvOptions& options) {
  if (options.lambdas.empty()) throw PredictError("ridge_cv: empty lambda grid; fix: pass e.g. default_lambda_grid()");
  for (double lambda : options.lambdas) {
    if (!(lambda > 0.0) || !std::isfinite(lambda))
      throw PredictError("ridge_cv: grid lambda " + std::to_string(lambda) +
                         " is not a finite number > 0; fix: use a log grid such as log_grid(1e-4, 1e4, 4)");
  }
  if (options.folds < 2)
    throw PredictError("ridge_cv: " + std::to_string(options.folds) + " folds; fix: use at least 2 (default 5)");
}

}  // namespace

RidgeCV::RidgeCV(RidgeCvOptions options) : options_(std::move(options)), model_(1.0, options_.standardize) {
  check_options(options_);
  std::sort(options_.lambdas.begin(), options_.lambdas.end());
  options_.lambdas.erase(std::unique(options_.lambdas.begin(), options_.lambdas.end()), options_.lambdas.end());
}

void RidgeCV::fit(const FeatureRows& x, const std::vector<double>& y) {
  detail::check_training_data(x, y, "ridge_cv", std::max(kMinFitSamples, min_cv_samples(options_.folds)));
  const std::size_t n = x.size();
  const std::vector<double>& grid = options_.lambdas;
  const std::vector<int> fold = assign_folds(n, options_.folds, options_.seed);

  std::vector<std::vector<double>> oof(grid.size(), std::vector<double>(n, 0.0));
  for (int f = 0; f < options_.folds; ++f) {
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < n; ++i) (fold[i] == f ? test : train).push_back(i);
    const detail::RidgeSolver solver(x, y, train, options_.standardize);
    for (std::size_t l = 0; l < grid.size(); ++l) {
      const detail::LinearModel model = solver.solve(grid[l]);
      for (std::size_t i : test) oof[l][i] = model(x[i]);
    }
  }

  RidgeCvReport report;
  report.lambdas = grid;
  for (std::size_t l = 0; l < grid.size(); ++l) report.cv_rmse.push_back(rmse(y, oof[l]));
  // Ties (to rounding, score_ties.hpp) go to the larger lambda: the simpler
  // model. The grid is sorted ascending, so preference is from its end.
  const std::vector<double> by_preference(report.cv_rmse.rbegin(), report.cv_rmse.rend());
  const std::size_t best = grid.size() - 1 - std::min(detail::preferred_lowest(by_preference), grid.size() - 1);
  report.lambda = grid[best];
  report.on_grid_edge = grid.size() > 1 && (best == 0 || best + 1 == grid.size());
  report.cv.folds = options_.folds;
  report.cv.seed = options_.seed;
  report.cv.fold = fold;
  report.cv.statistics = compute_statistics(y, oof[best]);
  report.cv.predictions = std::move(oof[best]);

  model_.lambda_ = report.lambda;
  model_.standardize_ = options_.standardize;
  model_.fit(x, y);
  report_ = std::move(report);
}

nlohmann::json RidgeCV::state() const {
  return {{"options",
           {{"lambdas", options_.lambdas},
            {"folds", options_.folds},
            {"seed", options_.seed},
            {"standardize", options_.standardize}}},
          {"report",
           {{"lambda", report_.lambda},
            {"on_grid_edge", report_.on_grid_edge},
            {"lambdas", report_.lambdas},
            {"cv_rmse", report_.cv_rmse},
            {"cv_statistics", detail::statistics_json(report_.cv.statistics)}}},
          {"model", model_.state()}};
}

void RidgeCV::restore(const nlohmann::json& state) {
  const auto& o = state.at("options");
  RidgeCvOptions options;
  options.lambdas = o.at("lambdas").get<std::vector<double>>();
  options.folds = o.at("folds").get<int>();
  options.seed = o.at("seed").get<uint64_t>();
  options.standardize = o.at("standardize").get<bool>();
  try {
    check_options(options);
  } catch (const PredictError& e) {
    throw DataError(std::string("ridge_cv state: ") + e.what());
  }
  const auto& r = state.at("report");
  RidgeCvReport report;
  report.lambda = r.at("lambda").get<double>();
  report.on_grid_edge = r.at("on_grid_edge").get<bool>();
  report.lambdas = r.at("lambdas").get<std::vector<double>>();
  report.cv_rmse = r.at("cv_rmse").get<std::vector<double>>();
  report.cv.folds = options.folds;
  report.cv.seed = options.seed;
  report.cv.statistics = detail::statistics_from_json(r.at("cv_statistics"));
  model_.restore(state.at("model"));  // parses fully before it changes anything
  options_ = std::move(options);
  report_ = std::move(report);
}

}  // namespace nasctl::predict
