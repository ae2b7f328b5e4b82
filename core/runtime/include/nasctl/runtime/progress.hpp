// Progress reporting: a redrawn bar on a terminal (evaluations / budget, best
// hypervolume, ETA); plain log lines at most every 10 seconds otherwise.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace nasctl::runtime {

class Progress {
 public:
  Progress(std::size_t budget_evaluations, double budget_seconds, bool terminal);
  // Whether an update now would be shown (so callers skip computing one).
  bool due(double elapsed_seconds) const;
  // done: distinct evaluations so far; hypervolume: NaN when not yet known.
  void update(std::size_t done, std::size_t feasible, double hypervolume, double elapsed_seconds);
  void finish();

 private:
  std::string line(std::size_t done, std::size_t feasible, double hypervolume, double elapsed) const;
  std::size_t budget_evaluations_;
  double budget_seconds_;
  bool terminal_;
  bool drawn_ = false;
  double last_shown_ = -1e9;
};

std::string format_duration(double seconds);

}  // namespace nasctl::runtime
