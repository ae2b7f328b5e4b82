#include "nasctl/predict/ridge.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "input_checks.hpp"
#include "nasctl/predict/error.hpp"
#include "ridge_solver.hpp"

namespace nasctl::predict {

namespace {

void check_lambda(double lambda, const char* who) {
  if (!(lambda >= 0.0) || !std::isfinite(lambda))
    throw PredictError(std::string(who) + ": lambda " + std::to_string(lambda) +
                       " is not a finite number >= 0; fix: use a penalty such as 1.0");
}

}  // namespace

Ridge::Ridge(double lambda, bool standardize) : lambda_(lambda), standardize_(standardize) {
  check_lambda(lambda, "ridge");
}

void Ridge::fit(const FeatureRows& x, const std::vector<double>& y) {
  detail::check_training_data(x, y, "ridge", kMinFitSamples);
  std::vector<std::size_t> rows(x.size());
  std::iota(rows.begin(), rows.end(), 0);
  detail::LinearModel model = detail::RidgeSolver(x, y, rows, standardize_).solve(lambda_);
  intercept_ = model.intercept;
  coefficients_ = std::move(model.coefficients);
  fitted_ = true;
}

double Ridge::predict_one(const std::vector<double>& x) const {
  if (!fitted_) throw PredictError("ridge: predict before fit; fix: fit the model (or load a fitted one) first");
  detail::check_sample(x, coefficients_.size(), "ridge");
  double y = intercept_;
  for (std::size_t j = 0; j < x.size(); ++j) y += coefficients_[j] * x[j];
  return y;
}

nlohmann::json Ridge::state() const {
  return {{"lambda", lambda_},
          {"standardize", standardize_},
          {"fitted", fitted_},
          {"intercept", intercept_},
          {"coefficients", coefficients_}};
}

void Ridge::restore(const nlohmann::json& state) {
  const double lambda = state.at("lambda").get<double>();
  if (!(lambda >= 0.0) || !std::isfinite(lambda))
    throw DataError("ridge state: lambda " + std::to_string(lambda) + " is not >= 0; fix: re-save the model");
  auto coefficients = state.at("coefficients").get<std::vector<double>>();
  const bool fitted = state.at("fitted").get<bool>();
  if (fitted && coefficients.empty())
    throw DataError("ridge state: fitted but has no coefficients; fix: re-save the model");
  const bool standardize = state.at("standardize").get<bool>();
  const double intercept = state.at("intercept").get<double>();
  lambda_ = lambda;
  standardize_ = standardize;
  intercept_ = intercept;
  coefficients_ = std::move(coefficients);
  fitted_ = fitted;
}

std::vector<double> log_grid(double lo, double hi, int per_decade) {
  if (!(lo > 0.0) || !(hi >= lo) || !std::isfinite(hi) || per_decade < 1)
    throw PredictError("log_grid: needs 0 < lo <= hi and per_decade >= 1; fix: e.g. log_grid(1e-4, 1e4, 4)");
  const double steps = std::round(std::log10(hi / lo) * per_decade);
  std::vector<double> grid;
  for (int k = 0; k <= static_cast<int>(steps); ++k)
    grid.push_back(lo * std::pow(10.0, k / static_cast<double>(per_decade)));
  return grid;
}

std::vector<double> default_lambda_grid() { return log_grid(1e-4, 1e4, 4); }

}  // namespace nasctl::predict
