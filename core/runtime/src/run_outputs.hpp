// Writing a run's files from its state: evaluations.csv and pareto.csv
// during the run (at most every 2 s) and at its end, run.json at its end.
// Every file is replaced whole (write_file_atomically).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "hypervolume_tracker.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "run_state.hpp"

namespace nasctl::runtime {

// What run.json says of the run's time besides the state.
struct RunTimes {
  std::string started;         // ISO 8601, UTC
  double elapsed = 0.0;        // all sessions of the run
  double session = 0.0;        // this process
  double strategy = 0.0;       // in the strategy's start/ask/tell
};

class RunOutputs {
 public:
  RunOutputs(const Session& session, const RunOptions& options);

  // Whether 2 s have passed since the last write (the CSVs are rewritten
  // whole, so not after every batch).
  bool due() const;
  // The CSVs; sets summary.pareto_size.
  void write_tables(const RunState& state, RunSummary& summary);
  // The CSVs and run.json.
  void write_final(const RunState& state, RunSummary& summary, const RunTimes& times,
                   const HypervolumeTracker& hypervolume);

 private:
  std::vector<std::size_t> write_csvs(const std::vector<EvaluationRecord>& ordered, RunSummary& summary);

  const Session& session_;
  const RunOptions& options_;
  std::vector<std::string> metric_names_;
  std::chrono::steady_clock::time_point last_write_;
};

// The time now as ISO 8601 UTC ("2026-12-04T17:08:05Z").
std::string iso_now();

}  // namespace nasctl::runtime
