// NSGA-II crowding distance: how much room a point has on its front, used to
// keep the front spread out when a front must be truncated.
#pragma once

#include <cstddef>
#include <vector>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::moo {

// Crowding distance of each point of `front` (indices into `points`), aligned
// with `front`. For every objective the front is ordered by that objective
// (ties by position in `front`); the first and last points get +inf and each
// interior point adds the gap between its two neighbours divided by the
// front's range in that objective. An objective whose range is zero or
// infinite adds nothing. Fronts of one or two points are all +inf.
// Throws std::invalid_argument on an index outside `points`, mismatched
// objective counts or NaN.
std::vector<double> crowding_distance(const Points& points, const std::vector<std::size_t>& front);

// Convenience: every point of `front` belongs to the front.
std::vector<double> crowding_distance(const Points& front);

}  // namespace nasctl::moo
