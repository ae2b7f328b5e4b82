#include "search_trial.hpp"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "cli_runner.hpp"

namespace nasctl::crash {

namespace fs = std::filesystem;

namespace {

std::size_t scaled(std::size_t evaluations, double scale) {
  return std::max<std::size_t>(16, static_cast<std::size_t>(std::llround(static_cast<double>(evaluations) * scale)));
}

std::vector<std::string> new_run_args(const std::string& config_file, const std::string& run_dir) {
  return {"search", "-c", config_file, "-o", run_dir, "--no-progress"};
}

// What a user types after a crash: resume once the journal exists; before
// that nothing was evaluated and the original command starts the run again.
std::vector<std::string> restart_args(const std::string& config_file, const std::string& run_dir) {
  if (fs::exists(fs::path(run_dir) / "journal.jsonl")) return {"search", "--resume", run_dir, "--no-progress"};
  return new_run_args(config_file, run_dir);
}

}  // namespace

std::vector<StrategySetup> strategies(double scale) {
  // Small batches and populations: many journal appends and strategy steps
  // per second, so kills land in every phase of the loop. Budgets for runs
  // of 3-6 s on a 2-core VM: long enough for the outputs' periodic rewrite
  // (every 2 s) and large files whose final write takes milliseconds.
  return {
      {"random", "plugin = \"random\"\nbatch = 4\n", scaled(30000, scale)},
      {"nsga2", "plugin = \"nsga2\"\npopulation = 8\n", scaled(30000, scale)},
      {"evolution", "plugin = \"evolution\"\n", scaled(20000, scale)},
      {"linas", "plugin = \"linas\"\npopulation = 8\ninner_evaluations = 200\nmodel = \"ridge\"\n", scaled(600, scale)},
  };
}

std::string config_text(const StrategySetup& strategy, const std::string& data_dir) {
  return "seed = 11\nout = \"runs/unused\"\n\n[space]\nplugin = \"ofa-mobilenetv3\"\n\n[search]\n" +
         strategy.search_table + "\n[budget]\nevaluations = " + std::to_string(strategy.evaluations) +
         "\n\n[run]\nthreads = 2\n\n[[hardware]]\nname = \"cost\"\nplugin = \"analytic\"\n\n"
         "[accuracy]\nplugin = \"predictor\"\nfiles = [\"" +
         data_dir + "/ofa_mbv3_w10_imagenet/mbnv3w10_evoga_acc.csv\"]\n\n"
         "[[objectives]]\nmetric = \"accuracy.top1_pred\"\ngoal = \"max\"\n\n"
         "[[objectives]]\nmetric = \"cost.macs\"\ngoal = \"min\"\n";
}

Reference run_reference(const StrategySetup& strategy, const std::string& config_file, const std::string& work_dir) {
  Reference ref;
  ref.dir = (fs::path(work_dir) / ("reference-" + strategy.name)).string();
  fs::remove_all(ref.dir);
  fs::create_directories(ref.dir);
  const WholeRun run = run_whole(new_run_args(config_file, ref.dir), ref.dir, ref.dir + "-log");
  if (run.exit_code != 0)
    throw std::runtime_error("the uninterrupted " + strategy.name + " run failed (exit " + std::to_string(run.exit_code) +
                             "); see " + ref.dir + "-log.err");
  ref.seconds = run.seconds;
  ref.writes = run.writes;
  return ref;
}

TrialResult run_search_trial(const StrategySetup& strategy, const std::string& config_file, const Reference& reference,
                             const std::string& trial_dir, std::mt19937_64& rng, bool at_writes, int kills) {
  TrialResult result;
  result.strategy = strategy.name;
  fs::remove_all(trial_dir);
  const std::string run_dir = (fs::path(trial_dir) / "run").string();
  fs::create_directories(run_dir);
  Attempts attempts = kill_repeatedly(
      kills, at_writes, reference.seconds, reference.writes, rng, [&] { return restart_args(config_file, run_dir); },
      run_dir, trial_dir, [&] { return check_killed_folder(run_dir); });
  result.moments = std::move(attempts.moments);
  result.outcomes = std::move(attempts.outcomes);
  result.problems = std::move(attempts.problems);
  const test::CliResult last = test::run_nasctl(restart_args(config_file, run_dir), "", 600);
  if (last.exit_code != 0) {
    result.problems.push_back("the final run exited " + std::to_string(last.exit_code) + ": " + last.err);
    return result;
  }
  for (const auto& p : check_finished_folder(run_dir, reference.dir, strategy.evaluations)) result.problems.push_back(p);
  return result;
}

}  // namespace nasctl::crash
