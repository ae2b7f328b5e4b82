#include "nasctl/runtime/run_loop.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "hypervolume_tracker.hpp"
#include "journal_replay.hpp"
#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/journal.hpp"
#include "nasctl/runtime/progress.hpp"
#include "nasctl/runtime/run_dir.hpp"
#include "run_outputs.hpp"
#include "run_state.hpp"
#include "stop_policy.hpp"
#include "subspace_announcer.hpp"

namespace fs = std::filesystem;

namespace nasctl::runtime {

std::string run_config_path(const std::string& run_dir) { return (fs::path(run_dir) / "config.toml").string(); }

namespace {

// A run killed inside an atomic write leaves "<file>.tmp-XXXXXX" beside the
// file it was replacing; the next run in the folder (new or resumed) owns
// the folder and removes them, so a folder never accumulates them.
void remove_killed_writes(const fs::path& dir) {
  for (const char* name : {"config.toml", "evaluations.csv", "pareto.csv", "run.json", "report.html"}) {
    for (const std::string& file : remove_leftover_temporaries((dir / name).string()))
      spdlog::info("removed {}, left by a run killed while writing it", file);
  }
}

}  // namespace

void prepare_run_dir(const RunOptions& options, const RunConfig& config) {
  const fs::path dir(options.out_dir);
  const fs::path journal = dir / "journal.jsonl";
  if (options.resume) {
    if (!fs::is_directory(dir)) throw Error(options.out_dir + ": no such run folder; fix: give the folder a previous `nasctl search` wrote");
    if (!fs::exists(journal) || !fs::exists(run_config_path(options.out_dir)))
      throw Error(options.out_dir + ": not a nasctl run folder (no journal.jsonl/config.toml); fix: give the folder a previous `nasctl search` wrote");
    check_resume_config(options.out_dir, config);
    remove_killed_writes(dir);
    return;
  }
  if (fs::exists(journal))
    throw Error(options.out_dir + ": already holds a run; fix: continue it with `nasctl search --resume " + options.out_dir +
                "` or choose another folder with -o");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw Error(options.out_dir + ": cannot create the output folder (" + (ec ? ec.message() : "not a folder") +
                "); fix: choose a writable folder with -o");
  if (::access(dir.c_str(), W_OK) != 0)
    throw Error(options.out_dir + ": output folder is not writable; fix: choose a writable folder with -o");
  remove_killed_writes(dir);
  write_file_atomically(run_config_path(options.out_dir), config_file_text(config), "the run");
}

namespace {

using Clock = std::chrono::steady_clock;

// Time spent in the strategy's own calls, for run.json.
class StrategyTimer {
 public:
  template <typename F>
  auto operator()(F&& call) {
    const auto start = Clock::now();
    struct Add {
      double& total;
      Clock::time_point start;
      ~Add() { total += std::chrono::duration<double>(Clock::now() - start).count(); }
    } add{seconds, start};
    return call();
  }
  double seconds = 0.0;
};

}  // namespace

RunSummary run_search(Session& session, Evaluator& evaluator, const RunOptions& options) {
  const auto wall_start = Clock::now();
  const std::string started = iso_now();
  SearchStrategy& strategy = *session.search;
  const RunConfig& config = session.config;
  const std::string& search_plugin = session.search_plugin->descriptor.info.name;

  JournalReplay replay(options.out_dir, options.resume);
  Journal journal((fs::path(options.out_dir) / "journal.jsonl").string(), session.space_plugin->descriptor.info.name);
  auto elapsed = [&] { return replay.elapsed(wall_start); };

  RunState state;
  RunSummary summary;
  summary.out_dir = options.out_dir;
  RunOutputs outputs(session, options);
  HypervolumeTracker hv;
  Progress progress(config.budget_evaluations, config.budget_seconds, options.progress_bar);
  StrategyTimer in_strategy;
  SubspaceAnnouncer subspaces(session, options.out_dir);  // staged searches: providers prepare each stage
  std::size_t feasible = 0;
  std::size_t stalled_batches = 0;
  auto times = [&] {
    return RunTimes{started, elapsed(), std::chrono::duration<double>(Clock::now() - wall_start).count(),
                    in_strategy.seconds};
  };

  in_strategy([&] { strategy.start(session.problem); });
  const std::size_t batch = config.batch ? config.batch : (strategy.preferred_batch() ? strategy.preferred_batch() : 16);
  std::string failure;

  // A plugin error (strategy or provider) ends the run, but what was measured
  // is kept: the outputs are written from the complete records before the
  // error propagates, and the journal already has them for --resume.
  try {
    while (true) {
      const RunProgress now{state.size(), elapsed(), options.stop_requested && options.stop_requested->load(),
                            strategy.exhausted()};
      if (const StopCause cause = stop_cause(config, now); cause != StopCause::None) {
        summary.stop_reason = stop_reason_text(cause);
        if (cause == StopCause::TimeBudget && !replay.replaying()) journal.append_time_stop(now.elapsed);
        break;
      }
      const std::size_t n = next_batch_size(config, batch, state.size());
      std::vector<Architecture> asks = in_strategy([&] { return strategy.ask(n); });
      if (asks.empty()) {
        summary.stop_reason = "the strategy proposed nothing";
        break;
      }
      if (asks.size() > n)
        throw Error("search plugin '" + search_plugin + "' proposed " + std::to_string(asks.size()) +
                    " architectures when asked for at most " + std::to_string(n) + "; fix: the plugin must honour ask(n)");
      subspaces.after_ask();

      AdmittedBatch admitted = state.admit(std::move(asks), *session.space, replay, search_plugin, summary.replayed);
      evaluator.evaluate(admitted.to_evaluate, [&](EvaluationRecord& r) {
        r.elapsed = elapsed();
        if (!r.error.empty()) {
          if (failure.empty()) failure = r.canonical + ": " + r.error;
          return;  // not journaled: a resumed run evaluates it again
        }
        journal.append(r);
      });
      if (!failure.empty()) {
        // Keep only what completed; the journal already has it.
        state.drop_from(admitted.first_new, [](const EvaluationRecord& r) { return !r.error.empty(); });
        state.score_from(admitted.first_new, session.problem);
        break;
      }

      feasible += state.score_from(admitted.first_new, session.problem);
      std::vector<Evaluation> answers = state.answers(admitted);
      in_strategy([&] { strategy.tell(answers); });

      stalled_batches = state.size() == admitted.first_new ? stalled_batches + 1 : 0;
      if (stalled_batches >= 50) {
        summary.stop_reason = "the strategy proposed only known architectures 50 times in a row (space exhausted?)";
        break;
      }
      hv.observe(state.records());
      if (const double t = elapsed(); progress.due(t)) progress.update(state.size(), feasible, hv.value(state.records()), t);
      if (outputs.due()) outputs.write_tables(state, summary);
    }
  } catch (...) {
    progress.finish();
    // Asked, never evaluated.
    state.drop_from(0, [](const EvaluationRecord& r) { return r.metrics.empty() && r.error.empty(); });
    // The interrupted batch's finished records (journaled) were not scored yet.
    state.score_from(0, session.problem);
    summary.evaluations = state.size();
    summary.stop_reason = "stopped by an error";
    try {
      outputs.write_final(state, summary, times(), hv);
    } catch (const std::exception& e) {
      spdlog::warn("could not write the outputs after the error: {}", e.what());
    }
    throw;
  }
  progress.finish();
  summary.evaluations = state.size();
  summary.feasible = state.feasible();
  if (!failure.empty()) summary.stop_reason = "evaluation failed: " + failure;
  hv.observe(state.records());
  outputs.write_final(state, summary, times(), hv);
  if (!failure.empty())
    throw EvaluationError(failure + " (" + std::to_string(summary.evaluations) + " evaluations kept in " + options.out_dir +
                          "; fix the cause, then `nasctl search --resume " + options.out_dir + "`)");
  return summary;
}

}  // namespace nasctl::runtime
