// Argument checks shared by the public entry points, so every function
// reports a bad point set with the same one-line, actionable message.
#pragma once

#include <cstddef>
#include <vector>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::moo::detail {

// Number of objectives shared by `points` (0 for an empty set). Throws
// std::invalid_argument naming `caller` and the first point whose size
// differs from point 0's, or the first NaN objective.
std::size_t checked_objective_count(const Points& points, const char* caller);

// Same, for the subset `indices` of `points`; also rejects indices outside
// the set.
std::size_t checked_objective_count(const Points& points, const std::vector<std::size_t>& indices,
                                    const char* caller);

// Throws std::invalid_argument unless `reference` has `objectives` finite
// values.
void check_reference(const Point& reference, std::size_t objectives, const char* caller);

}  // namespace nasctl::moo::detail
