// Kernel ridge regression with a Gaussian (RBF) kernel: the non-linear model
// of the predictor library, and the kernel counterpart of DyNAS-T's RBF SVR.
//
//   f(x) = mean(y) + sum_i alpha_i k(x, x_i),  k(x, x') = exp(-d2(x, x') / (2 l^2)),
//   alpha = (K + lambda I)^-1 (y - mean(y)),
//
// with d2 the squared distance over features divided by their range on the
// training set (normalize, the default) or over raw features. Range scaling
// leaves one-hot bits as they are, so d2 counts the choices in which two
// architectures differ (twice), while a numeric feature such as a resolution
// in pixels is brought to 0..1 instead of dominating every distance.
// (Dividing by the standard deviation instead would inflate the rare bits of
// a one-hot encoding; on the OFA tables it ranks worse.) Features constant on
// the training set are ignored. A large length-scale l makes the model nearly
// linear-plus-quadratic; a small one lets it follow interactions between
// choices (a kernel size that matters only in a deep stage), which a linear
// model on one-hot features cannot express.
//
// Prediction costs O(non-zero features x training samples): one-hot
// encodings are mostly zeros, and only the query's non-zeros are visited.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nasctl/predict/regressor.hpp"
#include "nasctl/predict/statistics.hpp"

namespace nasctl::predict {

namespace detail {
class RbfBasis;  // the training samples arranged for fast kernel rows
}

// Kernel ridge with a fixed length-scale and penalty.
class KernelRidge : public Regressor {
 public:
  // length_scale > 0, in weighted feature units; lambda > 0.
  explicit KernelRidge(double length_scale = 4.0, double lambda = 0.1, bool normalize = true);
  ~KernelRidge() override;

  std::string name() const override { return "kernel_ridge"; }
  void fit(const FeatureRows& x, const std::vector<double>& y) override;
  bool fitted() const override { return fitted_; }
  double predict_one(const std::vector<double>& x) const override;
  nlohmann::json state() const override;
  void restore(const nlohmann::json& state) override;

  double length_scale() const { return length_scale_; }
  double lambda() const { return lambda_; }
  bool normalize() const { return normalize_; }
  std::size_t support_size() const;  // training samples kept for prediction

 private:
  friend class KernelRidgeCV;  // installs the solution its grid search found
  void install(FeatureRows x, std::vector<double> weights, double y_mean, std::vector<double> alpha);

  double length_scale_;
  double lambda_;
  bool normalize_;
  bool fitted_ = false;
  double y_mean_ = 0.0;
  std::vector<double> alpha_;
  std::unique_ptr<detail::RbfBasis> basis_;
};

struct KernelRidgeCvOptions {
  // Length-scales tried, as multiples of the median distance between
  // training samples (the median heuristic makes the grid unit-free).
  std::vector<double> length_scale_factors = {0.25, 0.5, 1.0, 2.0, 4.0, 8.0};
  // Penalties tried; the kernel matrix has ones on its diagonal, so lambda
  // is a noise-to-signal ratio whatever the targets' unit.
  std::vector<double> lambdas = {1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0};
  bool normalize = true;
};

struct KernelRidgeCvReport {
  double length_scale = 0.0;         // chosen, in weighted feature units
  double length_scale_factor = 0.0;  // chosen, in median distances
  double lambda = 0.0;               // chosen
  double median_distance = 0.0;      // of the training samples
  bool on_grid_edge = false;         // a chosen value is the smallest or largest of its grid
  // Leave-one-out RMSE of every (factor, lambda) pair: loo_rmse[f][l].
  std::vector<std::vector<double>> loo_rmse;
  // Leave-one-out predictions and their statistics at the chosen pair. A
  // model restored from a file keeps the statistics, not the predictions.
  std::vector<double> loo_predictions;
  Statistics loo;
};

// Kernel ridge whose length-scale and penalty are chosen by exact
// leave-one-out error over a grid (lowest LOO RMSE; ties go to the longer
// length-scale, then the larger penalty: the smoother model). One
// eigendecomposition per length-scale serves every penalty, so the search
// costs about as many kernel fits as there are length-scales. The targets'
// mean is taken over all samples (the LOO fits share it).
class KernelRidgeCV : public Regressor {
 public:
  explicit KernelRidgeCV(KernelRidgeCvOptions options = {});

  std::string name() const override { return "kernel_ridge_cv"; }
  void fit(const FeatureRows& x, const std::vector<double>& y) override;
  bool fitted() const override { return model_.fitted(); }
  double predict_one(const std::vector<double>& x) const override { return model_.predict_one(x); }
  nlohmann::json state() const override;
  void restore(const nlohmann::json& state) override;

  const KernelRidgeCvOptions& options() const { return options_; }
  const KernelRidgeCvReport& report() const { return report_; }
  const KernelRidge& model() const { return model_; }

 private:
  KernelRidgeCvOptions options_;
  KernelRidgeCvReport report_;
  KernelRidge model_;
};

}  // namespace nasctl::predict
