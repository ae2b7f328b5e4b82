#include "nasctl/moo/dominance.hpp"

#include <stdexcept>
#include <string>

namespace nasctl::moo {
namespace {

void check_same_size(const Point& a, const Point& b, const char* caller) {
  if (a.size() == b.size()) return;
  throw std::invalid_argument(std::string(caller) + ": the points have " +
                              std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                              " objectives; fix: compare points of the same problem");
}

}  // namespace

bool dominates(const Point& a, const Point& b) {
  check_same_size(a, b, "dominates");
  bool strictly_better_somewhere = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) strictly_better_somewhere = true;
  }
  return strictly_better_somewhere;
}

bool constrained_dominates(const Point& a, double violation_a, const Point& b, double violation_b) {
  check_same_size(a, b, "constrained_dominates");
  const bool a_feasible = violation_a <= 0.0;
  const bool b_feasible = violation_b <= 0.0;
  if (a_feasible && b_feasible) return dominates(a, b);
  if (a_feasible != b_feasible) return a_feasible;
  return violation_a < violation_b;
}

}  // namespace nasctl::moo
