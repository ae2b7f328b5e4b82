#include "bayesian.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "ehvi.hpp"
#include "nasctl/error.hpp"
#include "nasctl/moo/sorting.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::search::bayesian {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

bool feasible(const Observation& o) { return o.violation <= 0.0 && all_finite(o.objectives); }

}  // namespace

BayesianOptimisation::BayesianOptimisation(BayesianOptions options) : options_(std::move(options)) {}

void BayesianOptimisation::start(const Problem& problem) {
  if (!problem.space) throw Error("bayesian: the problem has no search space; fix: configure [space]");
  if (problem.objectives.empty()) throw ConfigError("bayesian: no objectives; fix: list at least one under [[objectives]]");
  if (!options_.reference.empty() && options_.reference.size() != problem.objectives.size())
    throw ConfigError("key 'search.reference': " + std::to_string(options_.reference.size()) + " values for " +
                      std::to_string(problem.objectives.size()) +
                      " objectives; fix: give one value per objective, in the objectives' order and units");
  if (problem.evaluation_budget > 0 && problem.evaluation_budget < options_.initial)
    throw ConfigError("key 'search.initial': the initial design of " + std::to_string(options_.initial) +
                      " random architectures exceeds the evaluation budget of " +
                      std::to_string(problem.evaluation_budget) +
                      "; fix: lower search.initial or raise budget.evaluations");
  problem_ = problem;
  rng_.seed(problem.seed);
  archs_.clear();
  observations_.clear();
  observed_.clear();
  pending_.clear();
  pending_keys_.clear();
  exhausted_ = false;
  step_ = {};
}

std::vector<Architecture> BayesianOptimisation::ask(std::size_t n) {
  if (n == 0) return {};
  step_ = {};
  step_.observations = observations_.size();
  const std::size_t planned = observations_.size() + pending_.size();
  std::vector<Architecture> out;
  if (planned < options_.initial) {
    out = random_design(std::min(n, options_.initial - planned));
  } else if (!Surrogates::can_model(observations_, problem_.objectives.size(), problem_.constraints.size())) {
    out = random_design(n);  // e.g. metrics still NaN: keep exploring until each has a few values
  } else {
    out = model_step(n);
  }
  for (const auto& arch : out) {
    pending_.push_back(arch);
    pending_keys_.insert(canonical_key(*problem_.space, arch));
  }
  exhausted_ = out.empty();
  return out;
}

std::vector<Architecture> BayesianOptimisation::random_design(std::size_t n) {
  const SearchSpace& space = *problem_.space;
  std::vector<Architecture> out;
  std::unordered_set<std::string> taken;
  for (std::size_t i = 0; i < n; ++i) {
    for (int t = 0; t <= options_.max_redraws; ++t) {
      Architecture arch = space.sample(rng_);
      const std::string key = canonical_key(space, arch);
      if (observed_.count(key) || pending_keys_.count(key) || !taken.insert(key).second) continue;
      out.push_back(std::move(arch));
      break;
    }
  }
  return out;
}

moo::Point BayesianOptimisation::reference_point() const {
  const auto& objectives = problem_.objectives;
  moo::Points points;
  for (const auto& o : observations_) {
    if (feasible(o)) points.push_back(o.objectives);
  }
  if (points.empty()) return {};
  moo::Point reference(objectives.size());
  if (!options_.reference.empty()) {
    for (std::size_t j = 0; j < objectives.size(); ++j) reference[j] = objectives[j].to_minimized(options_.reference[j]);
    return reference;
  }
  const auto front = moo::pareto_front(points);
  for (std::size_t j = 0; j < objectives.size(); ++j) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i : front) {
      lo = std::min(lo, points[i][j]);
      hi = std::max(hi, points[i][j]);
    }
    const double range = hi > lo ? hi - lo : std::max(1.0, std::abs(hi));
    reference[j] = hi + options_.reference_margin * range;
  }
  return reference;
}

std::vector<Architecture> BayesianOptimisation::front_architectures() const {
  moo::Points points;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < observations_.size(); ++i) {
    if (!feasible(observations_[i])) continue;
    points.push_back(observations_[i].objectives);
    index.push_back(i);
  }
  std::vector<Architecture> out;
  if (!points.empty()) {
    for (std::size_t k : moo::pareto_front(points)) out.push_back(archs_[index[k]]);
    return out;
  }
  // Nothing feasible yet: start from the least violating.
  std::vector<std::size_t> order(observations_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return observations_[a].violation < observations_[b].violation;
  });
  for (std::size_t k = 0; k < order.size() && k < 10; ++k) out.push_back(archs_[order[k]]);
  return out;
}

std::vector<Architecture> BayesianOptimisation::model_step(std::size_t n) {
  const SearchSpace& space = *problem_.space;
  const std::size_t m = problem_.objectives.size();
  step_.model = true;

  auto t = Clock::now();
  predict::GpOptions gp_options;
  gp_options.kernel = options_.kernel;
  Surrogates surrogates(observations_, m, problem_.constraints, gp_options);
  step_.fit_seconds = seconds_since(t);
  t = Clock::now();

  moo::Points feasible_points;
  for (const auto& o : observations_) {
    if (feasible(o)) feasible_points.push_back(o.objectives);
  }
  step_.reference = reference_point();
  std::optional<Ehvi> ehvi;
  if (!feasible_points.empty())
    ehvi.emplace(feasible_points, step_.reference, options_.mc_samples, problem_.seed ^ 0x9E3779B97F4A7C15ull);

  auto encode = [&](const std::vector<Architecture>& archs) {
    predict::FeatureRows x;
    x.reserve(archs.size());
    for (const auto& a : archs) x.push_back(space.encode(a));
    return x;
  };
  // Kriging believer: the point is taken to come out at its predicted mean.
  auto believe = [&](const Architecture& arch) {
    const predict::FeatureRows x = encode({arch});
    const Predictions p = surrogates.predict(x);
    surrogates.believe(x.front());
    if (ehvi && p.believed_feasible.front() && all_finite(p.mean.front())) ehvi->add(p.mean.front());
  };
  const BatchScore score = [&](const std::vector<Architecture>& archs) {
    const Predictions p = surrogates.predict(encode(archs));
    std::vector<double> values(archs.size());
    for (std::size_t i = 0; i < archs.size(); ++i)
      values[i] = p.feasibility[i] * (ehvi ? (*ehvi)(p.mean[i], p.sd[i]) : 1.0);
    return values;
  };

  for (const auto& arch : pending_) believe(arch);  // asked earlier, results not in yet
  std::unordered_set<std::string> excluded = observed_;
  excluded.insert(pending_keys_.begin(), pending_keys_.end());
  const std::vector<Architecture> seeds = front_architectures();
  std::vector<Architecture> carry;
  std::vector<Architecture> out;
  for (std::size_t slot = 0; slot < n; ++slot) {
    const std::vector<Scored> population =
        maximise_acquisition(space, score, carry, seeds, excluded, options_.inner, rng_);
    if (population.empty()) break;  // every reachable architecture is measured or proposed
    out.push_back(population.front().arch);
    excluded.insert(population.front().key);
    step_.acquisition.push_back(population.front().score);
    if (slot + 1 == n) break;
    believe(population.front().arch);
    carry.clear();
    for (std::size_t i = 1; i < population.size(); ++i) carry.push_back(population[i].arch);
  }
  step_.search_seconds = seconds_since(t);
  return out;
}

void BayesianOptimisation::tell(const std::vector<Evaluation>& results) {
  const SearchSpace& space = *problem_.space;
  for (const auto& r : results) {
    const Architecture arch = space.canonicalize(r.arch);
    const std::string key = space.to_string(arch);
    if (pending_keys_.erase(key)) {
      const auto it = std::find_if(pending_.begin(), pending_.end(),
                                   [&](const Architecture& a) { return canonical_key(space, a) == key; });
      if (it != pending_.end()) pending_.erase(it);
    }
    if (!observed_.insert(key).second) continue;  // a repeat: its result is known
    if (r.objectives.size() != problem_.objectives.size())
      throw Error("bayesian: a result has " + std::to_string(r.objectives.size()) + " objective values for " +
                  std::to_string(problem_.objectives.size()) + " objectives; fix: report this as a bug");
    Observation o;
    o.features = space.encode(arch);
    o.objectives = r.objectives;
    for (const auto& c : problem_.constraints) {
      const auto it = r.metrics.find(c.metric);
      o.constraints.push_back(it == r.metrics.end() ? std::nan("") : it->second);
    }
    o.violation = std::isfinite(r.violation) ? r.violation : std::numeric_limits<double>::infinity();
    observations_.push_back(std::move(o));
    archs_.push_back(arch);
  }
}

}  // namespace nasctl::search::bayesian
