#include "hypervolume_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace nasctl::runtime {

namespace {

moo::Points feasible_points(const std::deque<EvaluationRecord>& scores) {
  moo::Points points;
  for (const auto& s : scores) {
    if (s.feasible()) points.push_back(s.objectives);
  }
  return points;
}

}  // namespace

void HypervolumeTracker::observe(const std::deque<EvaluationRecord>& scores) {
  if (!reference_.empty()) return;
  const moo::Points front = feasible_points(scores);
  if (front.size() < 2) return;
  for (std::size_t k = 0; k < front[0].size(); ++k) {
    double lo = front[0][k], hi = front[0][k];
    for (const auto& p : front) {
      lo = std::min(lo, p[k]);
      hi = std::max(hi, p[k]);
    }
    reference_.push_back(hi + 0.1 * (hi > lo ? hi - lo : std::max(1.0, std::abs(hi))));
  }
}

double HypervolumeTracker::value(const std::deque<EvaluationRecord>& scores) const {
  if (reference_.empty()) return NAN;
  return moo::hypervolume(feasible_points(scores), reference_);
}

}  // namespace nasctl::runtime
