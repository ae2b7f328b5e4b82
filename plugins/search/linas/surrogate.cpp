#include "surrogate.hpp"

#include <cstdio>

#include "nasctl/error.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/kernel_ridge.hpp"
#include "nasctl/predict/ridge.hpp"

namespace nasctl::search::linas {

namespace {

std::unique_ptr<predict::Regressor> make_model(const SurrogateOptions& o, predict::SelectionCriterion criterion) {
  switch (o.model) {
    case ModelChoice::Ridge: {
      predict::RidgeCvOptions ridge;
      ridge.folds = o.folds;
      ridge.seed = o.seed;
      return std::make_unique<predict::RidgeCV>(ridge);
    }
    case ModelChoice::KernelRidge:
      return std::make_unique<predict::KernelRidgeCV>();
    case ModelChoice::Auto:
      break;
  }
  predict::AutoRegressorOptions selection;
  selection.candidates = {"ridge_cv", "kernel_ridge_cv"};
  selection.folds = o.folds;
  selection.seed = o.seed;
  selection.criterion = criterion;
  return std::make_unique<predict::AutoRegressor>(selection);
}

std::unique_ptr<predict::Regressor> fit(const predict::FeatureRows& x, const std::vector<double>& y,
                                        const SurrogateOptions& options, predict::SelectionCriterion criterion,
                                        const std::string& what) {
  auto model = make_model(options, criterion);
  try {
    model->fit(x, y);
  } catch (const predict::PredictError& e) {
    throw predict::PredictError("linas: cannot fit the predictor of " + what + " on the " + std::to_string(y.size()) +
                                " architectures measured so far (" + e.what() + ")");
  }
  return model;
}

// The cross-validated statistics a fitted model carries, and the family chosen.
std::string fit_summary(const predict::Regressor& model) {
  const predict::Regressor* chosen = &model;
  const predict::Statistics* stats = nullptr;
  if (const auto* a = dynamic_cast<const predict::AutoRegressor*>(&model)) {
    chosen = a->chosen();
    stats = &a->candidates()[a->selected()].cv.statistics;
  } else if (const auto* r = dynamic_cast<const predict::RidgeCV*>(&model)) {
    stats = &r->report().cv.statistics;
  } else if (const auto* k = dynamic_cast<const predict::KernelRidgeCV*>(&model)) {
    stats = &k->report().loo;
  }
  if (!stats) return chosen->name();
  char text[160];
  std::snprintf(text, sizeof text, "%s (CV tau %.3f, MAPE %.3g%%, RMSE %.4g)", chosen->name().c_str(),
                stats->kendall_tau, stats->mape, stats->rmse);
  return text;
}

}  // namespace

ModelChoice model_choice(const std::string& name) {
  if (name == "ridge") return ModelChoice::Ridge;
  if (name == "kernel_ridge") return ModelChoice::KernelRidge;
  if (name == "auto") return ModelChoice::Auto;
  throw ConfigError("linas: model '" + name + "' is unknown; fix: use ridge, kernel_ridge or auto");
}

const char* to_string(ModelChoice model) {
  switch (model) {
    case ModelChoice::Ridge:
      return "ridge";
    case ModelChoice::KernelRidge:
      return "kernel_ridge";
    case ModelChoice::Auto:
      break;
  }
  return "auto";
}

Surrogate::Surrogate(const Problem& problem, const Measurements& measured, const SurrogateOptions& options) {
  for (std::size_t k = 0; k < problem.objectives.size(); ++k) {
    objective_names_.push_back(problem.objectives[k].metric);
    objective_models_.push_back(fit(measured.x, measured.objectives[k], options,
                                    predict::SelectionCriterion::KendallTau,
                                    "objective '" + problem.objectives[k].metric + "'"));
  }
  constraints_ = problem.constraints;
  for (std::size_t c = 0; c < constraints_.size(); ++c) {
    constraint_models_.push_back(fit(measured.x, measured.constrained[c], options, predict::SelectionCriterion::Rmse,
                                     "constrained metric '" + constraints_[c].metric + "'"));
  }
}

void Surrogate::evaluate(const std::vector<double>& encoding, std::vector<double>& objectives,
                         double& violation) const {
  objectives.resize(objective_models_.size());
  for (std::size_t k = 0; k < objective_models_.size(); ++k) objectives[k] = objective_models_[k]->predict_one(encoding);
  violation = 0.0;
  for (std::size_t c = 0; c < constraint_models_.size(); ++c)
    violation += constraints_[c].violation(constraint_models_[c]->predict_one(encoding));
}

std::vector<std::string> Surrogate::describe() const {
  std::vector<std::string> lines;
  for (std::size_t k = 0; k < objective_models_.size(); ++k)
    lines.push_back(objective_names_[k] + ": " + fit_summary(*objective_models_[k]));
  for (std::size_t c = 0; c < constraint_models_.size(); ++c)
    lines.push_back(constraints_[c].metric + " (constraint): " + fit_summary(*constraint_models_[c]));
  return lines;
}

}  // namespace nasctl::search::linas
