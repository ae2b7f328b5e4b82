// Shared by the search strategy tests: a toy space whose objectives are known
// functions (so a strategy's front can be judged without any real
// measurement), a minimal run loop with the real one's rules (repeats are
// answered, not re-measured, and cost no budget), hypervolume of a run, and
// plugin configs built as core builds them.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/moo/hypervolume.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/search_strategy.hpp"

namespace nasctl::test {

// `n` variables v0..v{n-1}, each choosing 0, 1, 2 or 3 (4^n networks).
class ToySpace : public SearchSpace {
 public:
  explicit ToySpace(int n = 12) {
    for (int i = 0; i < n; ++i) variables_.push_back(numeric_variable("v" + std::to_string(i), {0, 1, 2, 3}));
  }
  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override {
    check(arch);
    NetworkBuilder b("toy", {3, 8, 8});
    b.global_avg_pool();
    b.linear(10, true);
    return std::move(b).finish();
  }

 private:
  std::vector<DecisionVariable> variables_;
};

// Known conflicting objectives on ToySpace, both minimised:
//   toy.cost  = sum_i w_i c_i                    (linear, like MACs)
//   toy.error = 70 - sum_i q_i sqrt(c_i) - 2 c0 c1 / 9
// (diminishing returns per choice, one interaction), with per-variable
// weights w_i in 1..4 and q_i in 1..5, so that some choices buy much more
// quality per unit of cost than others: the front is a specific corner of a
// space that random sampling covers evenly.
inline Metrics toy_metrics(const Architecture& arch) {
  double cost = 0.0, quality = 0.0;
  for (std::size_t i = 0; i < arch.size(); ++i) {
    const double c = arch[i];
    cost += static_cast<double>(1 + i % 4) * c;
    quality += static_cast<double>(1 + (i * 7) % 5) * std::sqrt(c);
  }
  if (arch.size() > 1) quality += 2.0 * arch[0] * arch[1] / 9.0;
  return {{"toy.cost", cost}, {"toy.error", 70.0 - quality}};
}

inline Problem toy_problem(const SearchSpace& space, uint64_t seed, std::size_t budget,
                           std::vector<Constraint> constraints = {}) {
  Problem p;
  p.space = &space;
  p.objectives = {{"toy.cost", Goal::Minimize}, {"toy.error", Goal::Minimize}};
  p.constraints = std::move(constraints);
  p.seed = seed;
  p.evaluation_budget = budget;
  return p;
}

using MetricFunction = std::function<Metrics(const Architecture&)>;

struct RunRecord {
  std::vector<Architecture> asked;     // every ask, in order
  std::vector<Evaluation> evaluated;   // distinct networks, first measurement each
};

// ask -> measure what is new -> tell, until `problem.evaluation_budget`
// distinct networks are measured or the strategy proposes nothing.
inline RunRecord run(SearchStrategy& strategy, const Problem& problem, const MetricFunction& measure,
                     std::size_t batch = 0) {
  const SearchSpace& space = *problem.space;
  if (batch == 0) batch = strategy.preferred_batch() ? strategy.preferred_batch() : 16;
  RunRecord record;
  std::unordered_map<std::string, std::size_t> index;
  strategy.start(problem);
  while (record.evaluated.size() < problem.evaluation_budget && !strategy.exhausted()) {
    const std::size_t n = std::min(batch, problem.evaluation_budget - record.evaluated.size());
    const std::vector<Architecture> asks = strategy.ask(n);
    if (asks.empty()) break;
    std::vector<Evaluation> results;
    for (const auto& arch : asks) {
      record.asked.push_back(arch);
      const std::string key = space.to_string(space.canonicalize(arch));
      const auto it = index.find(key);
      if (it != index.end()) {
        Evaluation known = record.evaluated[it->second];
        known.arch = arch;
        known.known = true;
        results.push_back(std::move(known));
        continue;
      }
      Evaluation e;
      e.arch = arch;
      e.metrics = measure(arch);
      for (const auto& o : problem.objectives) e.objectives.push_back(o.to_minimized(e.metrics.at(o.metric)));
      for (const auto& c : problem.constraints) e.violation += c.violation(e.metrics.at(c.metric));
      index.emplace(key, record.evaluated.size());
      record.evaluated.push_back(e);
      results.push_back(std::move(e));
    }
    strategy.tell(results);
  }
  return record;
}

// The baseline every strategy must beat: distinct uniform samples.
class UniformRandom : public SearchStrategy {
 public:
  void start(const Problem& problem) override {
    space_ = problem.space;
    rng_.seed(problem.seed);
  }
  std::vector<Architecture> ask(std::size_t n) override {
    std::vector<Architecture> out;
    while (out.size() < n) {
      Architecture arch = space_->sample(rng_);
      for (int t = 0; t < 100 && !seen_.insert(space_->to_string(arch)).second; ++t) arch = space_->sample(rng_);
      out.push_back(std::move(arch));
    }
    return out;
  }
  void tell(const std::vector<Evaluation>&) override {}

 private:
  const SearchSpace* space_ = nullptr;
  Rng rng_;
  std::unordered_set<std::string> seen_;
};

// Hypervolume of the feasible evaluations (minimisation form).
inline double hypervolume(const std::vector<Evaluation>& evaluated, const std::vector<double>& reference) {
  moo::Points points;
  for (const auto& e : evaluated) {
    if (e.feasible()) points.push_back(e.objectives);
  }
  return moo::hypervolume(points, reference);
}

// What core hands a plugin: every declared key present, defaults filled in.
inline PluginConfig make_config(const std::vector<ConfigKey>& keys, const std::map<std::string, ConfigValue>& given) {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& key : keys) entries[key.name] = {key.default_value, "default"};
  for (const auto& [name, value] : given) entries[name] = {value, "search.toml:3:1"};
  return PluginConfig("search", "", "search.toml", entries);
}

}  // namespace nasctl::test
