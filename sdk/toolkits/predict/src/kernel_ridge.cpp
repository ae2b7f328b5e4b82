#include "nasctl/predict/kernel_ridge.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "input_checks.hpp"
#include "kernel_solver.hpp"
#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/error.hpp"
#include "rbf_basis.hpp"

namespace nasctl::predict {

namespace {

bool positive(double v) { return v > 0.0 && std::isfinite(v); }

void check_settings(double length_scale, double lambda, const char* who) {
  if (!positive(length_scale))
    throw PredictError(std::string(who) + ": length-scale " + std::to_string(length_scale) +
                       " is not a finite number > 0; fix: use e.g. 4.0, or kernel_ridge_cv to choose it");
  if (!positive(lambda))
    throw PredictError(std::string(who) + ": lambda " + std::to_string(lambda) +
                       " is not a finite number > 0; fix: use e.g. 0.1, or kernel_ridge_cv to choose it");
}

std::vector<double> flatten(const FeatureRows& x) {
  std::vector<double> rows;
  rows.reserve(x.size() * x.front().size());
  for (const auto& row : x) rows.insert(rows.end(), row.begin(), row.end());
  return rows;
}

}  // namespace

KernelRidge::KernelRidge(double length_scale, double lambda, bool normalize)
    : length_scale_(length_scale), lambda_(lambda), normalize_(normalize) {
  check_settings(length_scale, lambda, "kernel_ridge");
}

KernelRidge::~KernelRidge() = default;

std::size_t KernelRidge::support_size() const { return basis_ ? basis_->samples() : 0; }

void KernelRidge::install(FeatureRows x, std::vector<double> weights, double y_mean, std::vector<double> alpha) {
  const std::size_t features = x.front().size();
  basis_ = std::make_unique<detail::RbfBasis>(flatten(x), features, std::move(weights));
  y_mean_ = y_mean;
  alpha_ = std::move(alpha);
  fitted_ = true;
}

void KernelRidge::fit(const FeatureRows& x, const std::vector<double>& y) {
  detail::check_training_data(x, y, "kernel_ridge", kMinFitSamples);
  const std::size_t n = x.size();
  std::vector<double> weights = detail::rbf_feature_weights(x, normalize_);
  const detail::RbfBasis basis(flatten(x), x.front().size(), weights);
  std::vector<double> kernel = basis.pairwise_squared_distances();
  const double gamma = 1.0 / (2.0 * length_scale_ * length_scale_);
  for (double& v : kernel) v = std::exp(-gamma * v);
  double y_mean = 0.0;
  for (double v : y) y_mean += v / static_cast<double>(n);
  std::vector<double> centred(n);
  for (std::size_t i = 0; i < n; ++i) centred[i] = y[i] - y_mean;
  const detail::KernelSolver solver(kernel, n, centred);
  install(x, std::move(weights), y_mean, solver.coefficients(lambda_));
}

double KernelRidge::predict_one(const std::vector<double>& x) const {
  if (!fitted_) throw PredictError("kernel_ridge: predict before fit; fix: fit the model (or load a fitted one) first");
  detail::check_sample(x, basis_->features(), "kernel_ridge");
  // One scratch row per thread: predict_one is const and may run on several
  // threads at once, and a search calls it tens of thousands of times.
  thread_local std::vector<double> distances;
  basis_->squared_distances(x.data(), distances);
  const double gamma = 1.0 / (2.0 * length_scale_ * length_scale_);
  double f = 0.0;
  for (std::size_t i = 0; i < distances.size(); ++i) f += alpha_[i] * std::exp(-gamma * distances[i]);
  return y_mean_ + f;
}

nlohmann::json KernelRidge::state() const {
  nlohmann::json j = {{"length_scale", length_scale_},
                      {"lambda", lambda_},
                      {"normalize", normalize_},
                      {"fitted", fitted_}};
  if (!fitted_) return j;
  j["y_mean"] = y_mean_;
  j["alpha"] = alpha_;
  j["weights"] = basis_->weights();
  j["features"] = basis_->features();
  j["rows"] = basis_->rows();  // row-major samples x features
  return j;
}

void KernelRidge::restore(const nlohmann::json& state) {
  const double length_scale = state.at("length_scale").get<double>();
  const double lambda = state.at("lambda").get<double>();
  if (!positive(length_scale) || !positive(lambda))
    throw DataError("kernel_ridge state: length-scale and lambda must be > 0; fix: re-save the model");
  const bool normalize = state.at("normalize").get<bool>();
  const bool fitted = state.at("fitted").get<bool>();
  std::unique_ptr<detail::RbfBasis> basis;
  std::vector<double> alpha;
  double y_mean = 0.0;
  if (fitted) {
    y_mean = state.at("y_mean").get<double>();
    alpha = state.at("alpha").get<std::vector<double>>();
    auto weights = state.at("weights").get<std::vector<double>>();
    const auto features = state.at("features").get<std::size_t>();
    auto rows = state.at("rows").get<std::vector<double>>();
    if (features == 0 || weights.size() != features || rows.size() != alpha.size() * features || alpha.empty())
      throw DataError("kernel_ridge state: " + std::to_string(alpha.size()) + " coefficients, " +
                      std::to_string(weights.size()) + " weights and " + std::to_string(rows.size()) +
                      " row values do not fit " + std::to_string(features) + " features; fix: re-save the model");
    basis = std::make_unique<detail::RbfBasis>(std::move(rows), features, std::move(weights));
  }
  length_scale_ = length_scale;
  lambda_ = lambda;
  normalize_ = normalize;
  fitted_ = fitted;
  y_mean_ = y_mean;
  alpha_ = std::move(alpha);
  basis_ = std::move(basis);
}

}  // namespace nasctl::predict
