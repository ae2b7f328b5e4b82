// Exact hypervolume: the volume of objective space dominated by a set of
// points and bounded by a reference point. The quality indicator of every
// multi-objective run, and the selection criterion of SMS-EMOA-like methods.
#pragma once

#include <vector>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::moo {

// Hypervolume of `points` with respect to `reference` (all objectives
// minimised). Points that do not strictly dominate the reference add no
// volume and are ignored, so the reference can simply be a "worst acceptable"
// corner. Exact in every dimension: O(n log n) sweeps for 2 and 3 objectives,
// WFG (While, Bradstreet & Barone 2012) slicing down to the 3-D sweep beyond.
// An empty set has volume 0.
// Throws std::invalid_argument when the reference does not have one finite
// value per objective, points have different numbers of objectives, or an
// objective is NaN.
double hypervolume(const Points& points, const Point& reference);

// Exclusive contribution of each point: the volume lost if that point alone
// were removed. Aligned with `points`; dominated points, duplicates and
// points outside the reference contribute 0. O(n log n) for 2 objectives;
// beyond, one hypervolume of n-1 points per point.
// Same errors as hypervolume().
std::vector<double> hypervolume_contributions(const Points& points, const Point& reference);

}  // namespace nasctl::moo
