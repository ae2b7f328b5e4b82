// The inner search of Bayesian optimisation: a (mu + lambda) genetic
// algorithm over the discrete space that maximises the acquisition, using the
// space's own mutation and crossover (so it respects whatever structure the
// space defines). It starts from mutations of the given seeds (the current
// Pareto front: good candidates are usually near it) plus random samples, and
// never returns an architecture whose canonical key is excluded (measured or
// already proposed). Deterministic for a given Rng state.
#pragma once

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "nasctl/search_space.hpp"

namespace nasctl::search::bayesian {

struct InnerSearchOptions {
  std::size_t population = 64;
  int generations = 20;
  int max_redraws = 20;  // tries to make a child not seen before
};

struct Scored {
  Architecture arch;
  std::string key;  // space.to_string(space.canonicalize(arch))
  double score = 0.0;
};

// Scores a batch of architectures (higher is better).
using BatchScore = std::function<std::vector<double>(const std::vector<Architecture>&)>;

std::string canonical_key(const SearchSpace& space, const Architecture& arch);

// The final population, best first (ties: earlier found first). `carry`
// enters as it is (e.g. the last population of the previous batch slot),
// `seeds` enter mutated. Empty only when no unexcluded architecture was found.
std::vector<Scored> maximise_acquisition(const SearchSpace& space, const BatchScore& score,
                                         const std::vector<Architecture>& carry,
                                         const std::vector<Architecture>& seeds,
                                         const std::unordered_set<std::string>& excluded,
                                         const InnerSearchOptions& options, Rng& rng);

}  // namespace nasctl::search::bayesian
