// The knee of a Pareto front: the point where improving one objective starts
// to cost the most in the others, the usual default when a person has to
// ship one network from a front and states no preference.
#pragma once

#include <cstddef>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::moo {

// Index (into `front`) of its knee point. Each objective (minimised) is
// normalised over the given points to [0, 1] (0 = the best value among them,
// 1 = the worst; an objective on which all points agree counts 0). In that
// space the extremes of a two-objective front are (0, 1) and (1, 0), and the
// knee is the point farthest from the line through them on the side of the
// ideal point (0, 0): the one maximising 1 - sum of its normalised values.
// With m objectives the same rule measures the distance from the hyperplane
// through the m unit points (sum = 1). Equal scores go to the lower index.
// Throws std::invalid_argument on an empty set, points of different sizes or
// a non-finite objective.
std::size_t knee_point(const Points& front);

}  // namespace nasctl::moo
