#include "stop_policy.hpp"

#include <algorithm>

namespace nasctl::runtime {

StopCause stop_cause(const RunConfig& config, const RunProgress& p) {
  if (config.budget_evaluations && p.evaluations >= config.budget_evaluations) return StopCause::EvaluationBudget;
  if (config.budget_seconds > 0 && p.elapsed >= config.budget_seconds) return StopCause::TimeBudget;
  if (p.stop_requested) return StopCause::Interrupted;
  if (p.strategy_exhausted) return StopCause::StrategyExhausted;
  return StopCause::None;
}

const char* stop_reason_text(StopCause cause) {
  switch (cause) {
    case StopCause::EvaluationBudget: return "evaluation budget reached";
    case StopCause::TimeBudget: return "time budget reached";
    case StopCause::Interrupted: return "interrupted (resume with --resume)";
    case StopCause::StrategyExhausted: return "the strategy has nothing more to propose";
    case StopCause::None: break;
  }
  return "";
}

std::size_t next_batch_size(const RunConfig& config, std::size_t batch, std::size_t evaluations) {
  if (!config.budget_evaluations) return batch;
  return std::min(batch, config.budget_evaluations - evaluations);
}

}  // namespace nasctl::runtime
