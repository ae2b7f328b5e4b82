// The hypervolume a run shows in its progress and records in run.json. The
// reference point is fixed once chosen (the worst feasible value of each
// objective when first known, pushed out by 10% of the range), so the number
// only grows as the front improves.
#pragma once

#include <deque>
#include <vector>

#include "nasctl/moo/hypervolume.hpp"
#include "nasctl/runtime/outputs.hpp"

namespace nasctl::runtime {

class HypervolumeTracker {
 public:
  // Fixes the reference from the first batch with two feasible results, so
  // it depends on the results alone (never on when progress is drawn).
  void observe(const std::deque<EvaluationRecord>& records);
  // NaN until the reference is fixed.
  double value(const std::deque<EvaluationRecord>& records) const;
  const std::vector<double>& reference() const { return reference_; }

 private:
  std::vector<double> reference_;
};

}  // namespace nasctl::runtime
