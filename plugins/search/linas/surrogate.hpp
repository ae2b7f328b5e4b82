// LINAS's low-fidelity problem: one predictor per objective and one per
// constrained metric, fitted on every architecture measured so far, and the
// predicted objectives and constraint violation of any encoding. The inner
// search calls evaluate() tens of thousands of times per iteration, so it
// reuses the caller's buffers and does no work but the predictions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "nasctl/predict/model_selection.hpp"
#include "nasctl/predict/regressor.hpp"
#include "nasctl/search_strategy.hpp"

namespace nasctl::search::linas {

// "ridge": ridge with CV-chosen penalty; "kernel_ridge": RBF kernel ridge
// with LOO-chosen length-scale and penalty; "auto": the better of the two by
// cross-validation (Kendall tau for objectives, RMSE for constrained metrics).
enum class ModelChoice { Ridge, KernelRidge, Auto };

ModelChoice model_choice(const std::string& name);  // throws ConfigError for another name
const char* to_string(ModelChoice model);

// Everything measured for real, one row per distinct (canonical) architecture.
struct Measurements {
  std::unordered_set<std::string> keys;           // canonical text forms
  predict::FeatureRows x;                         // SearchSpace::encode()
  std::vector<std::vector<double>> objectives;    // per objective (Problem order), minimisation form
  std::vector<std::vector<double>> constrained;   // per constraint, the metric's value

  std::size_t size() const { return x.size(); }
};

struct SurrogateOptions {
  ModelChoice model = ModelChoice::Auto;
  int folds = 5;
  uint64_t seed = 42;
};

class Surrogate {
 public:
  // Fits all predictors. Throws predict::PredictError naming the metric when
  // one cannot be fitted (too few samples, constant values...).
  Surrogate(const Problem& problem, const Measurements& measured, const SurrogateOptions& options);

  std::size_t objectives() const { return objective_models_.size(); }

  // Predicted objectives (minimisation form, resized to objectives()) and
  // the summed violation of the predicted constrained metrics.
  void evaluate(const std::vector<double>& encoding, std::vector<double>& objectives, double& violation) const;

  // One entry per predictor: "acc.top1: kernel_ridge_cv (tau 0.93, MAPE 0.1%)".
  std::vector<std::string> describe() const;

 private:
  std::vector<std::string> objective_names_;
  std::vector<std::unique_ptr<predict::Regressor>> objective_models_;
  std::vector<Constraint> constraints_;
  std::vector<std::unique_ptr<predict::Regressor>> constraint_models_;
};

}  // namespace nasctl::search::linas
