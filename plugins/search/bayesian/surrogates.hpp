// The surrogate models of Bayesian optimisation: one Gaussian process per
// objective (on its minimised values) and one per constraint (on the raw
// metric), fitted on every observation so far, over the space's numeric
// encoding. Predictions come in batches, as the inner search asks for them.
#pragma once

#include <memory>
#include <vector>

#include "nasctl/metrics.hpp"
#include "nasctl/predict/gaussian_process.hpp"

namespace nasctl::search::bayesian {

// One metric over the encoding: a GP, or, when every observation had the same
// value (a GP cannot be fitted to a constant), that value with no
// uncertainty. Non-finite observations are left out.
class MetricModel {
 public:
  MetricModel(const predict::FeatureRows& x, const std::vector<double>& y, const predict::GpOptions& options);

  // Means and standard deviations, aligned with x.
  void predict(const predict::FeatureRows& x, std::vector<double>& mean, std::vector<double>& sd) const;
  // Fantasised observations (Kriging believer): hyper-parameters stay.
  void add(const predict::FeatureRows& x, const std::vector<double>& y);

  // Observations a model needs: the GP's minimum.
  static std::size_t min_samples();
  bool constant() const { return !gp_; }
  const predict::GaussianProcess* gp() const { return gp_.get(); }

 private:
  std::unique_ptr<predict::GaussianProcess> gp_;
  double constant_ = 0.0;
};

// What the strategy keeps of one evaluated architecture.
struct Observation {
  std::vector<double> features;     // space.encode(arch)
  std::vector<double> objectives;   // minimisation form, Problem order
  std::vector<double> constraints;  // raw metric value per Problem constraint (NaN when missing)
  double violation = 0.0;
};

struct Predictions {
  std::vector<std::vector<double>> mean, sd;  // [candidate][objective], minimisation form
  std::vector<double> feasibility;            // probability that every constraint holds
  std::vector<bool> believed_feasible;        // every constraint holds at the predicted means
};

class Surrogates {
 public:
  // Throws predict::PredictError when a metric has fewer than
  // MetricModel::min_samples() finite observations.
  Surrogates(const std::vector<Observation>& observations, std::size_t objectives,
             const std::vector<Constraint>& constraints, const predict::GpOptions& options);

  Predictions predict(const predict::FeatureRows& x) const;
  // Adds a pending point with its predicted means as observations.
  void believe(const std::vector<double>& features);

  // True when every objective and constraint has enough finite observations.
  static bool can_model(const std::vector<Observation>& observations, std::size_t objectives, std::size_t constraints);

  const std::vector<MetricModel>& objective_models() const { return objectives_; }

 private:
  std::vector<Constraint> constraints_;
  std::vector<MetricModel> objectives_;
  std::vector<MetricModel> constraint_models_;
};

}  // namespace nasctl::search::bayesian
