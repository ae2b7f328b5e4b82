// Progress reporting: a redrawn bar on a terminal (evaluations / budget, best
// hypervolume, ETA); plain log lines at most every 10 seconds otherwise.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace nasctl::runtime {

class Progress {
 public:
  // unit/ok_word name what is counted: "evaluations"/"feasible" for a search,
  // e.g. "layers"/"measured" for a table build.
  Progress(std::size_t budget_evaluations, double budget_seconds, bool terminal, std::string unit = "evaluations",
           std::string ok_word = "feasible");
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
  std::string unit_;
  std::string ok_word_;
  bool drawn_ = false;
  double last_shown_ = -1e9;
};

std::string format_duration(double seconds);

}  // namespace nasctl::runtime
