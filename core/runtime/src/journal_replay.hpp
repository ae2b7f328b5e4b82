// What a resumed run's journal holds, and the run's clock while it is
// replayed. Resuming restarts the strategy with the same seed; every
// architecture it asks that the journal holds is answered from there. While
// the journal answers every ask, the clock reads when those answers were
// first computed: a time budget then stops a resumed run where the first
// session stopped, not before replaying anything (which would rewrite the
// outputs empty).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

#include "nasctl/runtime/evaluator.hpp"

namespace nasctl::runtime {

class JournalReplay {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads the run folder's journal.jsonl when resuming; holds nothing otherwise.
  JournalReplay(const std::string& run_dir, bool resume);

  // The journaled record of this architecture (same canonical text and
  // choices), or nullptr.
  const EvaluationRecord* find(const std::string& canonical, const Architecture& arch) const;
  // An ask was answered from `record`: the clock moves to when it was first
  // computed (to where the first session stopped once all are replayed).
  void replayed(const EvaluationRecord& record);
  // An ask had to be evaluated afresh: from now on the clock is the wall clock.
  void end() { replaying_ = false; }
  bool replaying() const { return replaying_; }

  // Seconds of the run so far: while replaying, the replay clock; then the
  // first sessions' time plus the wall time since `wall_start`.
  double elapsed(Clock::time_point wall_start) const;

  std::size_t size() const { return journaled_.size(); }

 private:
  std::unordered_map<std::string, EvaluationRecord> journaled_;  // by canonical architecture
  double elapsed_offset_ = 0.0;  // the first sessions' time
  double time_stop_ = 0.0;       // where a time budget stopped them (0: none did)
  std::size_t replayed_ = 0;
  bool replaying_ = false;
  double replay_clock_ = 0.0;
};

}  // namespace nasctl::runtime
