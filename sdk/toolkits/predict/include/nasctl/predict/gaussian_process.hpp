// Gaussian-process regression: the surrogate of Bayesian optimisation, and a
// predictor in its own right (model name "gp").
//
// Model: standardised targets (zero mean, unit variance on the training data)
// ~ GP(0, s * k(x, x')) plus Gaussian noise of variance n. Features are
// min-max scaled to [0, 1] on the training data, so a one-hot bit stays 0/1:
// the squared distance of two one-hot encodings is then twice the number of
// categorical variables on which they differ, and an isotropic kernel is a
// kernel on that Hamming distance (the usual choice for categorical Bayesian
// optimisation). One length-scale, not one per feature (ARD), because a
// one-hot encoding has 3-30 features per variable and a search has a few
// hundred observations: ARD would fit 100+ length-scales to them, cost a
// gradient of 100+ entries per likelihood evaluation and overfit. With one
// length-scale the search is two-dimensional and each fit takes milliseconds;
// a long length-scale makes the kernel near-linear in the overlap of the
// encodings (an additive model, what ridge fits), a short one lets variables
// interact.
//
// Kernels (r = distance / length_scale):
//   matern52: (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r)   (default; BoTorch's too)
//   rbf:      exp(-r^2 / 2)
//
// Hyper-parameters maximise the log marginal likelihood. The signal variance
// has a closed-form optimum given the others (the likelihood is "profiled"),
// so the search runs over (log length-scale, log noise/signal ratio) only: a
// fixed grid, then BFGS with analytic gradients from the best `restarts` grid
// points, inside bounds. Deterministic: no random starts.
//
// Cost: O(n^3) per likelihood evaluation (Cholesky of the n x n kernel
// matrix, LibTorch in double); ~60 evaluations per fit. Prediction of m
// points: O(m n (d + n)) as a batch.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict {

enum class GpKernel { Matern52, Rbf };

// "matern52" / "rbf"; parse throws PredictError naming the accepted names.
std::string to_string(GpKernel kernel);
GpKernel parse_gp_kernel(const std::string& name);

struct GpOptions {
  GpKernel kernel = GpKernel::Matern52;
  // Lower bound of noise variance / signal variance; keeps the kernel matrix
  // well conditioned (condition number <~ n / ratio) for noiseless targets
  // such as MACs, which then interpolate to about sqrt(ratio) of their spread.
  double min_noise_ratio = 1e-6;
  // Grid points refined by BFGS (the best ones, distinct); 0: grid only.
  int restarts = 2;
  int max_iterations = 40;  // BFGS iterations per restart
};

// In the model's own units: length-scale on min-max scaled features,
// variances in standardised target units (1 = the targets' variance).
struct GpHyperparameters {
  double length_scale = 1.0;
  double signal_variance = 1.0;
  double noise_variance = 1e-2;
};

// Posterior of the latent function at one point, in target units; the
// variance excludes observation noise (see GaussianProcess::noise_variance).
struct GpPrediction {
  double mean = 0.0;
  double variance = 0.0;
};

struct GpFitReport {
  double log_marginal_likelihood = 0.0;  // of the standardised targets, at the fit
  int likelihood_evaluations = 0;
  bool length_scale_on_bound = false;  // optimum at a bound of the search box
};

class GaussianProcess : public Regressor {
 public:
  explicit GaussianProcess(GpOptions options = {});
  ~GaussianProcess() override;

  std::string name() const override { return "gp"; }

  // Chooses hyper-parameters by marginal likelihood, then conditions on the
  // data. PredictError for bad data (see Regressor::fit).
  void fit(const FeatureRows& x, const std::vector<double>& y) override;
  // Conditions on the data with the given hyper-parameters (no search).
  void fit(const FeatureRows& x, const std::vector<double>& y, const GpHyperparameters& hyperparameters);
  // Adds observations, keeping hyper-parameters and the feature and target
  // scaling of the last fit: fantasised points of a batch proposal (Kriging
  // believer) shrink the variance near them without refitting.
  void add_observations(const FeatureRows& x, const std::vector<double>& y);

  bool fitted() const override { return fitted_; }
  double predict_one(const std::vector<double>& x) const override;
  std::vector<double> predict(const FeatureRows& x) const override;  // one batch
  GpPrediction predict_with_variance(const std::vector<double>& x) const;
  std::vector<GpPrediction> predict_with_variance(const FeatureRows& x) const;

  nlohmann::json state() const override;
  void restore(const nlohmann::json& state) override;

  const GpOptions& options() const { return options_; }
  const GpHyperparameters& hyperparameters() const { return hyperparameters_; }
  const GpFitReport& report() const { return report_; }
  std::size_t samples() const { return y_.size(); }
  // Observation noise variance in target units.
  double noise_variance() const;

  // Log marginal likelihood of the standardised training targets under the
  // given hyper-parameters (the fitted model's data and scaling).
  double log_marginal_likelihood(const GpHyperparameters& hyperparameters) const;
  // The optimiser's reference start: length-scale = median distance between
  // training points, signal variance 1, noise variance 0.01.
  GpHyperparameters default_hyperparameters() const;

 private:
  void check_fitted(const char* what) const;
  void set_data(const FeatureRows& x, const std::vector<double>& y);  // scaling + checks
  void condition();  // Cholesky and weights from the current data and hyper-parameters
  std::vector<double> scaled(const FeatureRows& x) const;

  GpOptions options_;
  GpHyperparameters hyperparameters_;
  GpFitReport report_;
  bool fitted_ = false;
  std::size_t features_ = 0;
  std::vector<double> offset_, scale_;  // per feature: scaled = (x - offset) * scale
  double y_mean_ = 0.0, y_sd_ = 1.0;
  FeatureRows x_;                       // raw training features
  std::vector<double> y_;               // raw training targets
  std::vector<double> x_scaled_;        // n x d, row-major
  std::vector<double> chol_;            // lower Cholesky factor of K / s, n x n row-major
  std::vector<double> alpha_;           // (K / s)^-1 standardised y
};

}  // namespace nasctl::predict
