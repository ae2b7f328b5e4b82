#include "linas.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "nasctl/error.hpp"
#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/seed_stream.hpp"
#include "nasctl/text.hpp"

namespace nasctl::search::linas {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Smallest number of distinct measured networks the model can be fitted on.
std::size_t min_samples(ModelChoice model, int folds) {
  const std::size_t ridge = std::max(predict::kMinFitSamples, predict::min_cv_samples(folds));
  if (model == ModelChoice::Ridge) return ridge;
  if (model == ModelChoice::KernelRidge) return predict::kMinFitSamples;
  // auto: cross-validation around ridge_cv's own cross-validation, so every
  // outer training part must be large enough for ridge_cv.
  const auto k = static_cast<std::size_t>(folds);
  std::size_t n = predict::min_cv_samples(folds);
  while (n - (n + k - 1) / k < ridge) ++n;
  return n;
}

}  // namespace

std::vector<ConfigKey> config_keys() {
  return {ConfigKey::integer("population", 50,
                             "Random networks measured first, and networks proposed for measurement per iteration")
              .at_least(8),
          ConfigKey::integer("inner_evaluations", 20000,
                             "Predictor evaluations of the inner NSGA-II per iteration (rounded up to whole "
                             "generations of `population`)")
              .at_least(1),
          ConfigKey::choice("model", "auto", {"auto", "ridge", "kernel_ridge"},
                            "Predictor per objective and constrained metric: ridge (CV penalty), kernel_ridge (RBF, "
                            "LOO length-scale and penalty) or auto (the better of the two by cross-validation)"),
          ConfigKey::integer("folds", 5, "Cross-validation folds for choosing models and their penalties").at_least(2)};
}

LinasOptions options_from(const PluginConfig& config) {
  LinasOptions o;
  o.population = static_cast<std::size_t>(config.get_int("population"));
  o.inner_evaluations = static_cast<std::size_t>(config.get_int("inner_evaluations"));
  o.model = model_choice(config.get_string("model"));
  o.folds = static_cast<int>(config.get_int("folds"));
  o.config_table = config.table();
  if (const auto it = config.entries().find("population"); it != config.entries().end())
    o.population_where = it->second.where;
  return o;
}

uint64_t inner_seed(uint64_t run_seed, std::size_t iteration) { return stream_seed(run_seed, iteration); }

Linas::Linas(LinasOptions options) : options_(std::move(options)) {}

std::string Linas::key(const Architecture& arch) const {
  return problem_.space->to_string(problem_.space->canonicalize(arch));
}

void Linas::start(const Problem& problem) {
  const std::string where = options_.population_where + ": key '" + options_.config_table + ".population'";
  const std::size_t population = options_.population;
  if (problem.objectives.empty())
    throw ConfigError("linas: the problem has no objectives; fix: list at least one objective to search for");
  if (problem.evaluation_budget > 0 && problem.evaluation_budget < population)
    throw ConfigError(where + ": the initial random population of " + std::to_string(population) +
                      " exceeds the evaluation budget of " + std::to_string(problem.evaluation_budget) +
                      ", so no predictor would ever be trained; fix: raise the budget to a few populations (e.g. " +
                      std::to_string(5 * population) + ") or lower " + options_.config_table + ".population");
  const std::size_t needed = min_samples(options_.model, options_.folds);
  if (population < needed)
    throw ConfigError(where + ": a population of " + std::to_string(population) + " is too small to fit the '" +
                      to_string(options_.model) + "' predictors with " + std::to_string(options_.folds) +
                      " cross-validation folds, which need " + std::to_string(needed) +
                      " measured networks; fix: raise " + options_.config_table + ".population to at least " +
                      std::to_string(needed) + " or lower " + options_.config_table + ".folds");

  problem_ = problem;
  rng_.seed(problem.seed);
  measured_ = Measurements{};
  measured_.objectives.assign(problem.objectives.size(), {});
  measured_.constrained.assign(problem.constraints.size(), {});
  queue_.clear();
  outstanding_ = 0;
  iterations_.clear();
  exhausted_ = false;

  // Initial population: distinct random networks (a space smaller than the
  // population runs out of them; repeats are then answered by the run loop).
  std::unordered_set<std::string> drawn;
  while (queue_.size() < population) {
    Architecture arch = problem.space->sample(rng_);
    for (int tries = 0; tries < 100 && !drawn.insert(key(arch)).second; ++tries) arch = problem.space->sample(rng_);
    queue_.push_back(std::move(arch));
  }
}

std::vector<Architecture> Linas::ask(std::size_t n) {
  if (queue_.empty() && outstanding_ == 0 && !exhausted_) plan_iteration();
  std::vector<Architecture> out;
  while (out.size() < n && !queue_.empty()) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  outstanding_ += out.size();
  return out;
}

void Linas::tell(const std::vector<Evaluation>& results) {
  for (const auto& e : results) record(e);
  outstanding_ -= std::min(outstanding_, results.size());
}

void Linas::record(const Evaluation& e) {
  std::string k = key(e.arch);
  if (measured_.keys.count(k)) return;  // a repeat: its first measurement stands
  if (e.objectives.size() != problem_.objectives.size())
    throw EvaluationError("linas: the result for '" + k + "' has " + std::to_string(e.objectives.size()) +
                          " objective values, the problem has " + std::to_string(problem_.objectives.size()) +
                          " objectives; fix: report every objective of every evaluation");
  std::vector<double> constrained;
  for (const auto& c : problem_.constraints) {
    const auto it = e.metrics.find(c.metric);
    if (it == e.metrics.end())
      throw EvaluationError("linas: the result for '" + k + "' has no metric '" + c.metric +
                            "', which a constraint bounds; fix: configure a provider of '" + c.metric + "'");
    constrained.push_back(it->second);
  }
  measured_.keys.insert(std::move(k));
  measured_.x.push_back(problem_.space->encode(e.arch));
  for (std::size_t j = 0; j < e.objectives.size(); ++j) measured_.objectives[j].push_back(e.objectives[j]);
  for (std::size_t c = 0; c < constrained.size(); ++c) measured_.constrained[c].push_back(constrained[c]);
}

void Linas::plan_iteration() {
  IterationReport report;
  report.iteration = iterations_.size() + 1;
  report.measured = measured_.size();

  auto t = Clock::now();
  const Surrogate surrogate(problem_, measured_, SurrogateOptions{options_.model, options_.folds, problem_.seed});
  report.fit_seconds = seconds_since(t);
  report.predictors = surrogate.describe();

  t = Clock::now();
  const InnerResult inner = inner_search(*problem_.space, surrogate,
                                         InnerOptions{options_.population, options_.inner_evaluations},
                                         inner_seed(problem_.seed, report.iteration));
  report.inner_seconds = seconds_since(t);
  report.inner_evaluations = inner.evaluations;

  // The inner search's best networks not measured yet, best first; then
  // random unmeasured ones if the inner search mostly rediscovered what is
  // known (common late in a run, when its front has been measured).
  std::unordered_set<std::string> proposed;
  for (const auto& c : inner.ranked) {
    if (queue_.size() >= options_.population) break;
    std::string k = key(c.arch);
    if (measured_.keys.count(k) || !proposed.insert(std::move(k)).second) continue;
    queue_.push_back(c.arch);
    ++report.from_inner;
  }
  for (std::size_t tries = 0; queue_.size() < options_.population && tries < 100 * options_.population; ++tries) {
    Architecture arch = problem_.space->sample(rng_);
    std::string k = key(arch);
    if (measured_.keys.count(k) || !proposed.insert(std::move(k)).second) continue;
    queue_.push_back(std::move(arch));
    ++report.random_fill;
  }
  exhausted_ = queue_.empty();

  spdlog::info("linas: iteration {}: predictors fitted on {} networks in {:.2f} s ({}); inner NSGA-II: {} predictor "
               "evaluations in {:.2f} s; proposing {} networks ({} from the inner search, {} random)",
               report.iteration, report.measured, report.fit_seconds, nasctl::joined(report.predictors, "; "),
               report.inner_evaluations, report.inner_seconds, queue_.size(), report.from_inner, report.random_fill);
  iterations_.push_back(std::move(report));
}

}  // namespace nasctl::search::linas
