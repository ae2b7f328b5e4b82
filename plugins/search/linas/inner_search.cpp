#include "inner_search.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_set>

#include "nasctl/evolve/nsga2.hpp"
#include "nasctl/moo/crowding.hpp"
#include "nasctl/moo/sorting.hpp"

namespace nasctl::search::linas {

namespace {

// Orders the pool by constrained rank, then crowding within the rank.
std::vector<RankedCandidate> rank(std::vector<RankedCandidate> pool) {
  moo::Points points;
  std::vector<double> violations;
  for (const auto& c : pool) {
    points.push_back(c.objectives);
    violations.push_back(c.violation);
  }
  std::vector<RankedCandidate> ranked;
  for (const auto& front : moo::non_dominated_fronts(points, violations)) {
    const std::vector<double> crowding = moo::crowding_distance(points, front);
    std::vector<std::size_t> order(front.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return crowding[a] > crowding[b]; });
    for (std::size_t k : order) ranked.push_back(std::move(pool[front[k]]));
  }
  return ranked;
}

}  // namespace

InnerResult inner_search(const SearchSpace& space, const Surrogate& surrogate, const InnerOptions& options,
                         uint64_t seed) {
  evolve::Nsga2Options nsga2_options;
  nsga2_options.population = options.population;
  evolve::Nsga2 nsga2(nsga2_options);
  nsga2.start(space, seed);

  InnerResult result;
  std::vector<Evaluation> told;  // reused: the buffers keep their capacity
  while (result.evaluations < options.evaluations) {
    std::vector<Architecture> asks = nsga2.ask(options.population);
    if (asks.empty()) break;
    told.resize(asks.size());
    for (std::size_t i = 0; i < asks.size(); ++i) {
      Evaluation& e = told[i];
      e.arch = std::move(asks[i]);
      surrogate.evaluate(space.encode(e.arch), e.objectives, e.violation);
    }
    nsga2.tell(told);
    result.evaluations += told.size();
  }

  // Final population first, then the last offspring that did not survive.
  std::vector<RankedCandidate> pool;
  std::unordered_set<std::string> keys;
  auto add = [&](const Architecture& arch, const std::vector<double>& objectives, double violation) {
    if (keys.insert(space.to_string(space.canonicalize(arch))).second)
      pool.push_back(RankedCandidate{arch, objectives, violation});
  };
  for (const auto& m : nsga2.population()) add(m.arch, m.objectives, m.violation);
  for (const auto& e : told) add(e.arch, e.objectives, e.violation);
  result.ranked = rank(std::move(pool));
  return result;
}

}  // namespace nasctl::search::linas
