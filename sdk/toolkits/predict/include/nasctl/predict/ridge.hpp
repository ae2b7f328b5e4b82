// Ridge regression: least squares with an L2 penalty lambda * |w|^2 on the
// coefficients (never on the intercept), solved in double precision with
// LibTorch's symmetric eigendecomposition of the centred Gram matrix.
//
// Features are standardised by default (centred and divided by their standard
// deviation on the training data; constant features are left at zero) because
// the penalty is not scale-invariant: an encoding that mixes one-hot bits with
// numeric values (kernel size 3..7, resolution 128..224) would otherwise
// shrink each feature by an amount that depends on its unit. Coefficients are
// mapped back, so predict_one() takes raw features.
#pragma once

#include <cstdint>
#include <vector>

#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict {

// Ridge with a fixed lambda.
class Ridge : public Regressor {
 public:
  explicit Ridge(double lambda = 1.0, bool standardize = true);

  std::string name() const override { return "ridge"; }
  void fit(const FeatureRows& x, const std::vector<double>& y) override;
  bool fitted() const override { return fitted_; }
  double predict_one(const std::vector<double>& x) const override;
  nlohmann::json state() const override;
  void restore(const nlohmann::json& state) override;

  double lambda() const { return lambda_; }
  bool standardize() const { return standardize_; }
  // Fitted model in raw feature units: y = intercept + coefficients . x
  double intercept() const { return intercept_; }
  const std::vector<double>& coefficients() const { return coefficients_; }

 private:
  friend class RidgeCV;  // sets the lambda it chose before its final fit
  double lambda_;
  bool standardize_;
  bool fitted_ = false;
  double intercept_ = 0.0;
  std::vector<double> coefficients_;
};

// Log-spaced values from lo to hi inclusive, per_decade steps per factor of 10.
std::vector<double> log_grid(double lo, double hi, int per_decade);
// 1e-4 .. 1e4, four points per decade (33 values).
std::vector<double> default_lambda_grid();

struct RidgeCvOptions {
  std::vector<double> lambdas = default_lambda_grid();
  int folds = 5;
  uint64_t seed = 42;
  bool standardize = true;
};

struct RidgeCvReport {
  double lambda = 0.0;          // chosen: lowest CV RMSE (ties: the larger lambda)
  bool on_grid_edge = false;    // chosen lambda is the grid's smallest or largest
  std::vector<double> lambdas;  // the grid searched, ascending
  std::vector<double> cv_rmse;  // CV RMSE of each grid lambda
  // Out-of-fold predictions and statistics at the chosen lambda. A model
  // restored from a file keeps folds, seed and statistics, not predictions.
  CrossValidation cv;
};

// Ridge whose lambda is chosen by k-fold cross-validation over a log grid,
// then refitted on all samples with that lambda. Each training fold is
// decomposed once and serves the whole grid, so the search costs about
// `folds` fits, not folds x grid. Its out-of-fold predictions equal those of
// cross_validate(Ridge(report().lambda), x, y, folds, seed).
class RidgeCV : public Regressor {
 public:
  explicit RidgeCV(RidgeCvOptions options = {});

  std::string name() const override { return "ridge_cv"; }
  void fit(const FeatureRows& x, const std::vector<double>& y) override;
  bool fitted() const override { return model_.fitted(); }
  double predict_one(const std::vector<double>& x) const override { return model_.predict_one(x); }
  nlohmann::json state() const override;
  void restore(const nlohmann::json& state) override;

  const RidgeCvOptions& options() const { return options_; }
  const RidgeCvReport& report() const { return report_; }
  const Ridge& model() const { return model_; }

 private:
  RidgeCvOptions options_;
  RidgeCvReport report_;
  Ridge model_;
};

}  // namespace nasctl::predict
