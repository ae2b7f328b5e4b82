// Non-dominated sorting: the ranking step of NSGA-II and the Pareto-front
// extraction of every multi-objective report.
#pragma once

#include <cstddef>
#include <vector>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::moo {

// Fronts of indices into the point set, best first. Front 0 is the Pareto
// front; a point of front k+1 is dominated by some point of front k. Each
// front lists its indices in ascending order; equal points share a front.
using Fronts = std::vector<std::vector<std::size_t>>;

// Sorts `points` into non-dominated fronts. O(n log n) for 2 objectives; for
// more, the efficient non-dominated sort (ENS, binary search over fronts),
// O(m n^2) in the worst case and far less on typical sets.
// Throws std::invalid_argument when points have different numbers of
// objectives or an objective is NaN (use +inf for failed evaluations).
Fronts non_dominated_fronts(const Points& points);

// Same, with Deb's constraint domination (see constrained_dominates):
// feasible points (violation <= 0) fill the first fronts, sorted by Pareto
// dominance; infeasible points follow, one front per distinct violation,
// smallest violation first. `violations` has one entry per point.
Fronts non_dominated_fronts(const Points& points, const std::vector<double>& violations);

// Indices of the Pareto front (front 0), ascending; cheaper than computing
// every front.
std::vector<std::size_t> pareto_front(const Points& points);

}  // namespace nasctl::moo
