// When a run stops before asking for its next batch: the budget (evaluations
// or seconds), a stop request (Ctrl-C), or a strategy with nothing left.
#pragma once

#include <cstddef>
#include <string>

#include "nasctl/runtime/config.hpp"

namespace nasctl::runtime {

struct RunProgress {
  std::size_t evaluations = 0;  // distinct architectures so far
  double elapsed = 0.0;         // seconds of the run (the replay clock while replaying)
  bool stop_requested = false;
  bool strategy_exhausted = false;
};

enum class StopCause { None, EvaluationBudget, TimeBudget, Interrupted, StrategyExhausted };

// The first cause that applies, in the order above; None to go on.
StopCause stop_cause(const RunConfig& config, const RunProgress& progress);

// The run summary's words for it ("evaluation budget reached", ...).
const char* stop_reason_text(StopCause cause);

// Architectures the next ask may propose: the batch size, or fewer where the
// evaluation budget ends sooner.
std::size_t next_batch_size(const RunConfig& config, std::size_t batch, std::size_t evaluations);

}  // namespace nasctl::runtime
