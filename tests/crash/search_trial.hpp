// One crash trial of `nasctl search`: a run killed with SIGKILL one or more
// times, each time started again the way a user would (`--resume` once the
// journal exists, the original command before), then resumed to the end and
// checked against an uninterrupted run of the same config and seed.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "kill_moment.hpp"
#include "run_checks.hpp"

namespace nasctl::crash {

// A strategy under test: the [search] table of its config and its budget.
struct StrategySetup {
  std::string name;
  std::string search_table;  // TOML lines after [search]
  std::size_t evaluations = 0;
};

// The strategies the harness kills, with budgets for runs of a few seconds
// (the OFA space, analytic hardware and a ridge/kernel accuracy predictor:
// no timing provider, so results are exactly reproducible). `scale`
// multiplies the budgets (the CTest case runs short ones).
std::vector<StrategySetup> strategies(double scale);

// The config of a trial run: the strategy's [search], the predictor trained
// on the OFA accuracy table in `data_dir`, analytic MACs.
std::string config_text(const StrategySetup& strategy, const std::string& data_dir);

// An uninterrupted run: the outputs to compare with and the range kill
// moments are drawn from (its wall time, its number of atomic writes).
struct Reference {
  std::string dir;
  double seconds = 0.0;
  int writes = 0;
};
Reference run_reference(const StrategySetup& strategy, const std::string& config_file, const std::string& work_dir);

struct TrialResult {
  std::string strategy;
  std::vector<KillMoment> moments;
  std::vector<KillOutcome> outcomes;
  Problems problems;
};

// Runs one trial in `trial_dir` (created): `kills` kills at moments drawn
// from `rng`, at atomic writes (`at_writes`) or at times uniform over the
// reference's wall time.
TrialResult run_search_trial(const StrategySetup& strategy, const std::string& config_file, const Reference& reference,
                             const std::string& trial_dir, std::mt19937_64& rng, bool at_writes, int kills);

}  // namespace nasctl::crash
