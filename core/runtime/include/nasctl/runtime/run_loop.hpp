// The run loop: ask -> skip what is known -> evaluate -> journal -> tell,
// until the budget is spent. Resuming replays the journal: the strategy is
// restarted with the same seed and every architecture it asks that the
// journal already holds is answered from there, so a resumed run reaches
// exactly the state (and the files) of an uninterrupted one.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "nasctl/metrics.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::runtime {

// One process of a distributed (MPI) run, for run.json (docs/distributed.md).
struct RankInfo {
  int rank = 0;
  std::string host;
  long pid = 0;
  std::string local_rank;            // the launcher's node-local rank ("" when it gives none)
  std::string cuda_visible_devices;  // CUDA_VISIBLE_DEVICES as this rank saw it ("" when unset)
  std::map<std::string, Conditions> conditions;  // its providers' conditions() by instance (workers)
};

struct RunOptions {
  std::string out_dir;
  bool resume = false;
  bool progress_bar = false;                       // redraw a bar (terminal) or log lines
  const std::atomic<bool>* stop_requested = nullptr;  // set by SIGINT/SIGTERM
  std::string command_line;                        // for run.json
  std::vector<RankInfo> ranks;                     // an MPI run's processes, rank 0 first; empty otherwise
};

struct RunSummary {
  std::size_t evaluations = 0;
  std::size_t replayed = 0;   // answered from the journal when resuming
  std::size_t feasible = 0;
  std::size_t pareto_size = 0;
  std::string stop_reason;
  std::string out_dir;
};

// Creates (or, resuming, checks) the run folder and writes config.toml.
// Throws a user-facing Error for an unusable folder.
void prepare_run_dir(const RunOptions& options, const RunConfig& config);

RunSummary run_search(Session& session, Evaluator& evaluator, const RunOptions& options);

// The config a run folder was started with (its config.toml).
std::string run_config_path(const std::string& run_dir);

}  // namespace nasctl::runtime
