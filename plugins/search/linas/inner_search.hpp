// LINAS's inner loop: NSGA-II (the shared engine) run on the surrogate's
// predictions instead of real measurements, for a fixed number of predictor
// evaluations, and its outcome ranked for real evaluation.
#pragma once

#include <cstdint>
#include <vector>

#include "nasctl/search_space.hpp"
#include "surrogate.hpp"

namespace nasctl::search::linas {

struct InnerOptions {
  std::size_t population = 50;     // inner NSGA-II population (and offspring per generation)
  std::size_t evaluations = 20000; // predictor evaluations, rounded up to whole generations
};

struct RankedCandidate {
  Architecture arch;
  std::vector<double> objectives;  // predicted, minimisation form
  double violation = 0.0;          // predicted
};

struct InnerResult {
  // The final population and the last generation's offspring that did not
  // survive (the next ranks), distinct networks, best first: by constrained
  // non-domination rank, then by crowding distance (extremes first).
  std::vector<RankedCandidate> ranked;
  std::size_t evaluations = 0;  // predictor evaluations done
};

InnerResult inner_search(const SearchSpace& space, const Surrogate& surrogate, const InnerOptions& options,
                         uint64_t seed);

}  // namespace nasctl::search::linas
