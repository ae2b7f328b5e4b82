// Evaluators compute the metrics of candidates. The run loop talks only to
// this interface, so evaluation can move elsewhere (a later MPI evaluator
// sends jobs to workers) while the strategy and the journal stay in one
// process. Evaluators hold no global state.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/metrics.hpp"

namespace boost::asio {
class thread_pool;
}

namespace nasctl {
class SearchSpace;
}

namespace nasctl::runtime {

struct ProviderInstance;

struct EvaluationRecord {
  std::size_t index = 0;   // position among the run's distinct evaluations
  std::string canonical;   // canonical architecture string
  Architecture arch;       // canonical choices
  Metrics metrics;         // "<instance>.<metric>" -> value
  double seconds = 0.0;    // time spent computing this candidate's metrics
  double elapsed = 0.0;    // run time (all sessions) when it completed
  std::string error;       // set when a provider failed; metrics incomplete
  int rank = -1;           // the MPI rank that evaluated it; -1 in a single-process run
  std::string host;        // that rank's host name ("" in a single-process run)
  // Its score (outputs.hpp, score()), set by the run loop after evaluation:
  std::vector<double> objectives;  // minimisation form, in Problem order; +inf where unknown
  double violation = 0.0;          // sum of constraint violations; +inf for failed evaluations
  bool feasible() const { return violation <= 0.0; }
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Computes metrics for every job; calls on_done once per job as it
  // completes, never concurrently. Provider failures are reported in
  // EvaluationRecord::error, not thrown.
  virtual void evaluate(const std::vector<EvaluationRecord*>& jobs,
                        const std::function<void(EvaluationRecord&)>& on_done) = 0;
};

// Evaluates on this machine: thread-safe providers on a thread pool, then
// the providers that need the machine to themselves (latency measurement)
// one candidate at a time.
class LocalEvaluator : public Evaluator {
 public:
  LocalEvaluator(const SearchSpace& space, const std::vector<ProviderInstance>& providers, std::size_t threads);
  ~LocalEvaluator() override;
  void evaluate(const std::vector<EvaluationRecord*>& jobs,
                const std::function<void(EvaluationRecord&)>& on_done) override;

 private:
  const SearchSpace& space_;
  const std::vector<ProviderInstance>& providers_;
  std::size_t threads_;
  std::unique_ptr<boost::asio::thread_pool> pool_;  // lives as long as the evaluator
};

}  // namespace nasctl::runtime
