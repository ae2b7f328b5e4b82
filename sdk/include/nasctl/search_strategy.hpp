// SearchStrategy: an ask/tell state machine. It never evaluates anything
// itself and never sees providers; it sees the problem (variables, objectives,
// constraints) and results. Determinism contract: the same Problem (seed
// included) and the same sequence of tell() calls produce the same asks; the
// run loop relies on this to resume a run by replaying its journal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/metrics.hpp"
#include "nasctl/plugin.hpp"

namespace nasctl {

class SearchSpace;

struct Problem {
  const SearchSpace* space = nullptr;
  std::vector<Objective> objectives;
  std::vector<Constraint> constraints;
  uint64_t seed = 42;
  std::size_t evaluation_budget = 0;  // 0: bounded by time only
};

struct Evaluation {
  Architecture arch;                // as the strategy asked it
  Metrics metrics;                  // every metric, full names
  std::vector<double> objectives;   // minimisation form, in Problem order
  double violation = 0.0;           // sum of Constraint::violation; 0 = feasible
  bool known = false;               // answered from earlier results, not evaluated now

  bool feasible() const { return violation <= 0.0; }
};

class SearchStrategy : public Plugin {
 public:
  // Called once before the first ask. Throw ConfigError for a problem the
  // strategy cannot handle (e.g. too many objectives).
  virtual void start(const Problem& problem) = 0;
  // Propose up to n architectures (at least one unless exhausted()).
  virtual std::vector<Architecture> ask(std::size_t n) = 0;
  // Results for the architectures of the last ask, in the same order.
  virtual void tell(const std::vector<Evaluation>& results) = 0;
  // How many candidates the strategy likes per ask (e.g. a generation); 0: any.
  virtual std::size_t preferred_batch() const { return 0; }
  // True when the strategy has nothing more to propose.
  virtual bool exhausted() const { return false; }
};

}  // namespace nasctl
