// GaussianProcess: data checks, scaling, the model file state; the maths is
// in gp_math.cpp (LibTorch) and the hyper-parameter search in gp_optimizer.cpp.
#include "nasctl/predict/gaussian_process.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "gp_math.hpp"
#include "gp_optimizer.hpp"
#include "input_checks.hpp"
#include "nasctl/error.hpp"
#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/error.hpp"

namespace nasctl::predict {

namespace {

bool positive(double v) { return v > 0.0 && std::isfinite(v); }

void check_hyperparameters(const GpHyperparameters& hp) {
  if (!positive(hp.length_scale) || !positive(hp.signal_variance) || !positive(hp.noise_variance))
    throw PredictError("gp: hyper-parameters (length-scale " + std::to_string(hp.length_scale) + ", signal variance " +
                       std::to_string(hp.signal_variance) + ", noise variance " + std::to_string(hp.noise_variance) +
                       ") must be finite and > 0; fix: e.g. default_hyperparameters()");
}

}  // namespace

std::string to_string(GpKernel kernel) { return kernel == GpKernel::Rbf ? "rbf" : "matern52"; }

GpKernel parse_gp_kernel(const std::string& name) {
  if (name == "matern52") return GpKernel::Matern52;
  if (name == "rbf") return GpKernel::Rbf;
  throw PredictError("gp: kernel '" + name + "' is unknown; fix: use matern52 or rbf");
}

GaussianProcess::GaussianProcess(GpOptions options) : options_(options) {
  if (!positive(options_.min_noise_ratio) || options_.min_noise_ratio > 1.0)
    throw PredictError("gp: min_noise_ratio " + std::to_string(options_.min_noise_ratio) +
                       " is not in (0, 1]; fix: use a small floor such as 1e-6");
  if (options_.restarts < 0 || options_.max_iterations < 0)
    throw PredictError("gp: restarts and max_iterations must be >= 0; fix: e.g. restarts 2, max_iterations 40");
}

GaussianProcess::~GaussianProcess() = default;

void GaussianProcess::check_fitted(const char* what) const {
  if (!fitted_)
    throw PredictError(std::string("gp: ") + what + " before fit; fix: fit the model (or load a fitted one) first");
}

void GaussianProcess::set_data(const FeatureRows& x, const std::vector<double>& y) {
  features_ = detail::check_training_data(x, y, "gp", kMinFitSamples);
  offset_.assign(features_, 0.0);
  scale_.assign(features_, 1.0);
  for (std::size_t j = 0; j < features_; ++j) {
    double lo = x.front()[j], hi = lo;
    for (const auto& row : x) {
      lo = std::min(lo, row[j]);
      hi = std::max(hi, row[j]);
    }
    offset_[j] = lo;
    if (hi > lo) scale_[j] = 1.0 / (hi - lo);
  }
  const double n = static_cast<double>(y.size());
  double mean = 0.0, var = 0.0;
  for (double v : y) mean += v / n;
  for (double v : y) var += (v - mean) * (v - mean) / n;
  y_mean_ = mean;
  y_sd_ = var > 0.0 ? std::sqrt(var) : 1.0;
  x_ = x;
  y_ = y;
  x_scaled_ = scaled(x);
}

std::vector<double> GaussianProcess::scaled(const FeatureRows& x) const {
  std::vector<double> out;
  out.reserve(x.size() * features_);
  for (const auto& row : x) {
    for (std::size_t j = 0; j < features_; ++j) out.push_back((row[j] - offset_[j]) * scale_[j]);
  }
  return out;
}

void GaussianProcess::condition() {
  std::vector<double> y_std;
  y_std.reserve(y_.size());
  for (double v : y_) y_std.push_back((v - y_mean_) / y_sd_);
  const detail::GpTrainingSet data{y_.size(), features_, &x_scaled_, &y_std};
  const double ratio = hyperparameters_.noise_variance / hyperparameters_.signal_variance;
  detail::GpFactor factor = detail::gp_factorise(data, options_.kernel, hyperparameters_.length_scale, ratio);
  chol_ = std::move(factor.chol);
  alpha_ = std::move(factor.alpha);
}

void GaussianProcess::fit(const FeatureRows& x, const std::vector<double>& y) {
  fitted_ = false;
  set_data(x, y);
  std::vector<double> y_std;
  for (double v : y_) y_std.push_back((v - y_mean_) / y_sd_);
  const detail::GpLikelihood likelihood({y_.size(), features_, &x_scaled_, &y_std}, options_.kernel);
  const detail::GpOptimum best = detail::maximise_likelihood(likelihood, options_, likelihood.median_distance());
  hyperparameters_ = {best.length_scale, best.signal, best.ratio * best.signal};
  report_ = {best.lml, best.evaluations, best.length_scale_on_bound};
  condition();
  fitted_ = true;
}

void GaussianProcess::fit(const FeatureRows& x, const std::vector<double>& y, const GpHyperparameters& hyperparameters) {
  check_hyperparameters(hyperparameters);
  fitted_ = false;
  set_data(x, y);
  hyperparameters_ = hyperparameters;
  condition();
  fitted_ = true;
  report_ = {log_marginal_likelihood(hyperparameters), 1, false};
}

void GaussianProcess::add_observations(const FeatureRows& x, const std::vector<double>& y) {
  check_fitted("add_observations");
  if (x.size() != y.size())
    throw PredictError("gp: " + std::to_string(x.size()) + " feature rows but " + std::to_string(y.size()) +
                       " targets to add; fix: give one target per row");
  for (std::size_t i = 0; i < x.size(); ++i) {
    detail::check_sample(x[i], features_, "gp");
    if (!std::isfinite(y[i]))
      throw PredictError("gp: added target " + std::to_string(i) + " is not finite; fix: add measured values only");
  }
  const std::vector<double> added = scaled(x);
  x_.insert(x_.end(), x.begin(), x.end());
  y_.insert(y_.end(), y.begin(), y.end());
  x_scaled_.insert(x_scaled_.end(), added.begin(), added.end());
  condition();
}

double GaussianProcess::predict_one(const std::vector<double>& x) const { return predict_with_variance(x).mean; }

std::vector<double> GaussianProcess::predict(const FeatureRows& x) const {
  std::vector<double> out;
  out.reserve(x.size());
  for (const auto& p : predict_with_variance(x)) out.push_back(p.mean);
  return out;
}

GpPrediction GaussianProcess::predict_with_variance(const std::vector<double>& x) const {
  return predict_with_variance(FeatureRows{x}).front();
}

std::vector<GpPrediction> GaussianProcess::predict_with_variance(const FeatureRows& x) const {
  check_fitted("predict");
  if (x.empty()) return {};
  for (const auto& row : x) detail::check_sample(row, features_, "gp");
  std::vector<double> mean, variance;
  const detail::GpTrainingSet data{y_.size(), features_, &x_scaled_, nullptr};
  detail::gp_posterior(data, {chol_, alpha_}, options_.kernel, hyperparameters_.length_scale,
                       hyperparameters_.signal_variance, scaled(x), x.size(), mean, variance);
  std::vector<GpPrediction> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = {y_mean_ + y_sd_ * mean[i], y_sd_ * y_sd_ * variance[i]};
  return out;
}

double GaussianProcess::noise_variance() const {
  check_fitted("noise_variance");
  return hyperparameters_.noise_variance * y_sd_ * y_sd_;
}

double GaussianProcess::log_marginal_likelihood(const GpHyperparameters& hyperparameters) const {
  check_fitted("log_marginal_likelihood");
  check_hyperparameters(hyperparameters);
  std::vector<double> y_std;
  for (double v : y_) y_std.push_back((v - y_mean_) / y_sd_);
  const detail::GpLikelihood likelihood({y_.size(), features_, &x_scaled_, &y_std}, options_.kernel);
  return likelihood.full(hyperparameters);
}

GpHyperparameters GaussianProcess::default_hyperparameters() const {
  check_fitted("default_hyperparameters");
  const detail::GpLikelihood likelihood({y_.size(), features_, &x_scaled_, &y_}, options_.kernel);
  return {likelihood.median_distance(), 1.0, 1e-2};
}

nlohmann::json GaussianProcess::state() const {
  return {{"kernel", to_string(options_.kernel)},
          {"min_noise_ratio", options_.min_noise_ratio},
          {"restarts", options_.restarts},
          {"max_iterations", options_.max_iterations},
          {"fitted", fitted_},
          {"length_scale", hyperparameters_.length_scale},
          {"signal_variance", hyperparameters_.signal_variance},
          {"noise_variance", hyperparameters_.noise_variance},
          {"log_marginal_likelihood", report_.log_marginal_likelihood},
          {"likelihood_evaluations", report_.likelihood_evaluations},
          {"length_scale_on_bound", report_.length_scale_on_bound},
          {"feature_offset", offset_},
          {"feature_scale", scale_},
          {"y_mean", y_mean_},
          {"y_sd", y_sd_},
          {"x", x_},
          {"y", y_}};
}

void GaussianProcess::restore(const nlohmann::json& state) {
  GpOptions options;
  try {
    options.kernel = parse_gp_kernel(state.at("kernel").get<std::string>());
  } catch (const PredictError& e) {
    throw DataError(std::string("gp state: ") + e.what());
  }
  options.min_noise_ratio = state.at("min_noise_ratio").get<double>();
  options.restarts = state.at("restarts").get<int>();
  options.max_iterations = state.at("max_iterations").get<int>();
  const GpHyperparameters hp{state.at("length_scale").get<double>(), state.at("signal_variance").get<double>(),
                             state.at("noise_variance").get<double>()};
  auto offset = state.at("feature_offset").get<std::vector<double>>();
  auto scale = state.at("feature_scale").get<std::vector<double>>();
  auto x = state.at("x").get<FeatureRows>();
  auto y = state.at("y").get<std::vector<double>>();
  const double y_mean = state.at("y_mean").get<double>(), y_sd = state.at("y_sd").get<double>();
  const bool fitted = state.at("fitted").get<bool>();
  const auto bad = [](const std::string& what) { throw DataError("gp state: " + what + "; fix: re-save the model"); };
  if (!positive(hp.length_scale) || !positive(hp.signal_variance) || !positive(hp.noise_variance))
    bad("hyper-parameters are not all finite and > 0");
  if (!positive(y_sd) || !std::isfinite(y_mean)) bad("target scaling is not finite");
  if (offset.size() != scale.size()) bad("feature offset and scale differ in length");
  if (fitted && (y.size() < kMinFitSamples || x.size() != y.size() || offset.empty()))
    bad("fitted but with " + std::to_string(x.size()) + " rows and " + std::to_string(y.size()) + " targets");
  for (const auto& row : x) {
    if (row.size() != offset.size()) bad("a training row has the wrong number of features");
  }
  try {
    options_ = GaussianProcess(options).options_;  // validates them
  } catch (const PredictError& e) {
    throw DataError(std::string("gp state: ") + e.what());
  }
  hyperparameters_ = hp;
  report_ = {state.at("log_marginal_likelihood").get<double>(), state.at("likelihood_evaluations").get<int>(),
             state.at("length_scale_on_bound").get<bool>()};
  features_ = offset.size();
  offset_ = std::move(offset);
  scale_ = std::move(scale);
  y_mean_ = y_mean;
  y_sd_ = y_sd;
  x_ = std::move(x);
  y_ = std::move(y);
  fitted_ = false;
  chol_.clear();
  alpha_.clear();
  x_scaled_.clear();
  if (!fitted) return;
  x_scaled_ = scaled(x_);
  condition();
  fitted_ = true;
}

}  // namespace nasctl::predict
