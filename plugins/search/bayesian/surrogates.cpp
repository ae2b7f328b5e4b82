#include "surrogates.hpp"

#include <cmath>

#include "ehvi.hpp"
#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/error.hpp"

namespace nasctl::search::bayesian {

namespace {

// The finite (x, y) pairs of one metric.
struct Column {
  predict::FeatureRows x;
  std::vector<double> y;
};

template <typename Value>
Column column(const std::vector<Observation>& observations, Value value) {
  Column c;
  for (const auto& o : observations) {
    const double v = value(o);
    if (!std::isfinite(v)) continue;
    c.x.push_back(o.features);
    c.y.push_back(v);
  }
  return c;
}

std::size_t finite_count(const std::vector<Observation>& observations, bool objective, std::size_t k) {
  std::size_t n = 0;
  for (const auto& o : observations) n += std::isfinite(objective ? o.objectives[k] : o.constraints[k]) ? 1 : 0;
  return n;
}

}  // namespace

std::size_t MetricModel::min_samples() { return predict::kMinFitSamples; }

MetricModel::MetricModel(const predict::FeatureRows& x, const std::vector<double>& y,
                         const predict::GpOptions& options) {
  if (y.size() < min_samples())
    throw predict::PredictError("bayesian: " + std::to_string(y.size()) + " finite observations of a metric, needs " +
                                std::to_string(min_samples()) + "; fix: raise search.initial");
  bool constant = true;
  for (double v : y) constant = constant && v == y.front();
  if (constant) {
    constant_ = y.front();
    return;
  }
  gp_ = std::make_unique<predict::GaussianProcess>(options);
  gp_->fit(x, y);
}

void MetricModel::predict(const predict::FeatureRows& x, std::vector<double>& mean, std::vector<double>& sd) const {
  mean.assign(x.size(), constant_);
  sd.assign(x.size(), 0.0);
  if (!gp_) return;
  const auto p = gp_->predict_with_variance(x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    mean[i] = p[i].mean;
    sd[i] = std::sqrt(p[i].variance);
  }
}

void MetricModel::add(const predict::FeatureRows& x, const std::vector<double>& y) {
  if (gp_) gp_->add_observations(x, y);
}

bool Surrogates::can_model(const std::vector<Observation>& observations, std::size_t objectives,
                           std::size_t constraints) {
  for (std::size_t k = 0; k < objectives; ++k) {
    if (finite_count(observations, true, k) < MetricModel::min_samples()) return false;
  }
  for (std::size_t k = 0; k < constraints; ++k) {
    if (finite_count(observations, false, k) < MetricModel::min_samples()) return false;
  }
  return true;
}

Surrogates::Surrogates(const std::vector<Observation>& observations, std::size_t objectives,
                       const std::vector<Constraint>& constraints, const predict::GpOptions& options)
    : constraints_(constraints) {
  for (std::size_t k = 0; k < objectives; ++k) {
    const Column c = column(observations, [k](const Observation& o) { return o.objectives[k]; });
    objectives_.emplace_back(c.x, c.y, options);
  }
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const Column c = column(observations, [k](const Observation& o) { return o.constraints[k]; });
    constraint_models_.emplace_back(c.x, c.y, options);
  }
}

Predictions Surrogates::predict(const predict::FeatureRows& x) const {
  const std::size_t m = x.size();
  Predictions p;
  p.mean.assign(m, std::vector<double>(objectives_.size()));
  p.sd.assign(m, std::vector<double>(objectives_.size()));
  p.feasibility.assign(m, 1.0);
  p.believed_feasible.assign(m, true);
  std::vector<double> mean, sd;
  for (std::size_t k = 0; k < objectives_.size(); ++k) {
    objectives_[k].predict(x, mean, sd);
    for (std::size_t i = 0; i < m; ++i) {
      p.mean[i][k] = mean[i];
      p.sd[i][k] = sd[i];
    }
  }
  for (std::size_t k = 0; k < constraint_models_.size(); ++k) {
    constraint_models_[k].predict(x, mean, sd);
    const bool at_most = constraints_[k].bound == Bound::AtMost;
    for (std::size_t i = 0; i < m; ++i) {
      // Independent constraints: the probabilities multiply.
      p.feasibility[i] *= probability_within(mean[i], sd[i], constraints_[k].limit, at_most);
      const bool holds = at_most ? mean[i] <= constraints_[k].limit : mean[i] >= constraints_[k].limit;
      p.believed_feasible[i] = p.believed_feasible[i] && holds;
    }
  }
  return p;
}

void Surrogates::believe(const std::vector<double>& features) {
  const predict::FeatureRows x{features};
  std::vector<double> mean, sd;
  for (auto* models : {&objectives_, &constraint_models_}) {
    for (auto& model : *models) {
      model.predict(x, mean, sd);
      model.add(x, mean);
    }
  }
}

}  // namespace nasctl::search::bayesian
