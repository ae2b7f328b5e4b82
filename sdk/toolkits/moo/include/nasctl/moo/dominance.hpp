// Pareto dominance, the relation everything else in nasctl::moo is built on.
// Every objective is MINIMISED: callers negate maximised metrics first
// (nasctl::Objective::to_minimized does it).
#pragma once

#include <vector>

namespace nasctl::moo {

// One candidate's objective values, and a set of candidates. Every point of a
// set has the same objectives in the same order.
using Point = std::vector<double>;
using Points = std::vector<Point>;

// True when `a` is no worse than `b` in every objective and strictly better
// in at least one. Equal points do not dominate each other.
// Throws std::invalid_argument when the sizes differ.
bool dominates(const Point& a, const Point& b);

// Deb's constraint domination, used by constrained NSGA-II. A violation <= 0
// means feasible. A feasible point beats any infeasible one; of two
// infeasible points the smaller violation wins, whatever the objectives say;
// two feasible points are compared by Pareto dominance.
bool constrained_dominates(const Point& a, double violation_a, const Point& b, double violation_b);

}  // namespace nasctl::moo
