#include "nasctl/runtime/run_loop.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "nasctl/moo/hypervolume.hpp"
#include "nasctl/runtime/journal.hpp"
#include "nasctl/runtime/outputs.hpp"
#include "nasctl/runtime/progress.hpp"
#include "nasctl/runtime/run_dir.hpp"
#include "nasctl/runtime/run_report.hpp"

namespace fs = std::filesystem;

namespace nasctl::runtime {

std::string run_config_path(const std::string& run_dir) { return (fs::path(run_dir) / "config.toml").string(); }

void prepare_run_dir(const RunOptions& options, const RunConfig& config) {
  const fs::path dir(options.out_dir);
  const fs::path journal = dir / "journal.jsonl";
  if (options.resume) {
    if (!fs::is_directory(dir)) throw Error(options.out_dir + ": no such run folder; fix: give the folder a previous `nasctl search` wrote");
    if (!fs::exists(journal) || !fs::exists(run_config_path(options.out_dir)))
      throw Error(options.out_dir + ": not a nasctl run folder (no journal.jsonl/config.toml); fix: give the folder a previous `nasctl search` wrote");
    check_resume_config(options.out_dir, config);
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
  write_file_atomically(run_config_path(options.out_dir), config_file_text(config), "the run");
}

namespace {

using Clock = std::chrono::steady_clock;

std::string iso_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Display reference point for the hypervolume: fixed once chosen (the worst
// feasible value of each objective when first known, pushed out by 10% of
// the range), so the number only grows as the front improves.
class HypervolumeTracker {
 public:
  // Fixes the reference from the first batch with two feasible results, so
  // it depends on the results alone (never on when progress is drawn).
  void observe(const std::vector<Score>& scores) {
    if (!reference_.empty()) return;
    const moo::Points front = feasible_points(scores);
    if (front.size() < 2) return;
    for (std::size_t k = 0; k < front[0].size(); ++k) {
      double lo = front[0][k], hi = front[0][k];
      for (const auto& p : front) {
        lo = std::min(lo, p[k]);
        hi = std::max(hi, p[k]);
      }
      reference_.push_back(hi + 0.1 * (hi > lo ? hi - lo : std::max(1.0, std::abs(hi))));
    }
  }
  double value(const std::vector<Score>& scores) const {
    if (reference_.empty()) return NAN;
    return moo::hypervolume(feasible_points(scores), reference_);
  }
  const std::vector<double>& reference() const { return reference_; }

 private:
  static moo::Points feasible_points(const std::vector<Score>& scores) {
    moo::Points points;
    for (const auto& s : scores) {
      if (s.feasible()) points.push_back(s.objectives);
    }
    return points;
  }
  std::vector<double> reference_;
};

}  // namespace

RunSummary run_search(Session& session, Evaluator& evaluator, const RunOptions& options) {
  const auto wall_start = Clock::now();
  const std::string started = iso_now();
  SearchSpace& space = *session.space;
  SearchStrategy& strategy = *session.search;
  const Problem& problem = session.problem;
  const RunConfig& config = session.config;
  const std::vector<std::string> metric_names = session.metric_names();
  const fs::path dir(options.out_dir);

  // Resume: what the journal holds, by canonical architecture.
  std::unordered_map<std::string, EvaluationRecord> journaled;
  double elapsed_offset = 0.0;
  double time_stop = 0.0;
  if (options.resume) {
    for (auto& r : Journal::read((dir / "journal.jsonl").string(), &time_stop)) {
      elapsed_offset = std::max(elapsed_offset, r.elapsed);
      journaled[r.canonical] = std::move(r);
    }
    elapsed_offset = std::max(elapsed_offset, time_stop);
    spdlog::info("resuming {}: {} evaluations in the journal", options.out_dir, journaled.size());
  }
  Journal journal((dir / "journal.jsonl").string(), session.space_plugin->descriptor.info.name);
  // While the journal answers every ask, the run's clock reads when those
  // answers were first computed: a time budget then stops a resumed run where
  // the first session stopped, not before replaying anything (which would
  // rewrite the outputs empty).
  bool replaying = !journaled.empty();
  double replay_clock = 0.0;
  auto elapsed = [&] {
    if (replaying) return replay_clock;
    return elapsed_offset + std::chrono::duration<double>(Clock::now() - wall_start).count();
  };

  std::deque<EvaluationRecord> records;  // stable addresses for the evaluator
  std::vector<Score> scores;
  std::unordered_map<std::string, std::size_t> index_of;
  RunSummary summary;
  summary.out_dir = options.out_dir;
  HypervolumeTracker hv;
  Progress progress(config.budget_evaluations, config.budget_seconds, options.progress_bar);
  double strategy_seconds = 0.0;
  std::size_t feasible = 0;
  std::size_t stalled_batches = 0;
  auto last_write = Clock::now();

  auto write_outputs = [&](bool final_write) {
    std::vector<EvaluationRecord> ordered(records.begin(), records.end());
    write_file_atomically((dir / "evaluations.csv").string(), evaluations_csv(ordered, scores, metric_names), "the run");
    const auto front = pareto_indices(scores);
    write_file_atomically((dir / "pareto.csv").string(), evaluations_csv(ordered, scores, metric_names, &front), "the run");
    summary.pareto_size = front.size();
    if (!final_write) return;
    RunReport report{session, summary, started, iso_now(), elapsed(),
                     std::chrono::duration<double>(Clock::now() - wall_start).count(), strategy_seconds,
                     hv.reference(), ordered, scores, front, options.command_line};
    write_file_atomically((dir / "run.json").string(), run_json(report), "the run");
  };

  {
    const auto t = Clock::now();
    strategy.start(problem);
    strategy_seconds += std::chrono::duration<double>(Clock::now() - t).count();
  }
  const std::size_t batch = config.batch ? config.batch : (strategy.preferred_batch() ? strategy.preferred_batch() : 16);
  std::string failure;

  // A plugin error (strategy or provider) ends the run, but what was measured
  // is kept: the outputs are written from the complete records before the
  // error propagates, and the journal already has them for --resume.
  try {
    while (true) {
      const std::size_t done = records.size();
      if (config.budget_evaluations && done >= config.budget_evaluations) {
        summary.stop_reason = "evaluation budget reached";
        break;
      }
      if (config.budget_seconds > 0 && elapsed() >= config.budget_seconds) {
        summary.stop_reason = "time budget reached";
        if (!replaying) journal.append_time_stop(elapsed());
        break;
      }
      if (options.stop_requested && options.stop_requested->load()) {
        summary.stop_reason = "interrupted (resume with --resume)";
        break;
      }
      if (strategy.exhausted()) {
        summary.stop_reason = "the strategy has nothing more to propose";
        break;
      }
      std::size_t n = batch;
      if (config.budget_evaluations) n = std::min(n, config.budget_evaluations - done);

      auto t = Clock::now();
      std::vector<Architecture> asks = strategy.ask(n);
      strategy_seconds += std::chrono::duration<double>(Clock::now() - t).count();
      if (asks.empty()) {
        summary.stop_reason = "the strategy proposed nothing";
        break;
      }
      if (asks.size() > n)
        throw Error("search plugin '" + session.search_plugin->descriptor.info.name + "' proposed " + std::to_string(asks.size()) +
                    " architectures when asked for at most " + std::to_string(n) + "; fix: the plugin must honour ask(n)");

      // Dedup: each distinct new architecture becomes one record; repeats (in
      // this batch or earlier ones) are answered from it.
      std::vector<std::size_t> ask_record(asks.size());
      std::vector<bool> ask_known(asks.size(), false);
      std::vector<EvaluationRecord*> jobs;
      const std::size_t first_new = records.size();
      for (std::size_t i = 0; i < asks.size(); ++i) {
        try {
          space.check(asks[i]);
        } catch (const Error& e) {
          throw Error("search plugin '" + session.search_plugin->descriptor.info.name + "' proposed an invalid architecture: " +
                      e.what());
        }
        Architecture canonical = space.canonicalize(asks[i]);
        std::string text = space.to_string(canonical);
        if (auto it = index_of.find(text); it != index_of.end()) {
          ask_record[i] = it->second;
          ask_known[i] = it->second < first_new;
          continue;
        }
        const std::size_t index = records.size();
        index_of.emplace(text, index);
        ask_record[i] = index;
        EvaluationRecord& r = records.emplace_back();
        scores.emplace_back();
        r.index = index;
        if (auto j = journaled.find(text); j != journaled.end() && j->second.arch == canonical) {
          r = j->second;  // replayed: metrics as first measured
          r.index = index;
          replay_clock = std::max(replay_clock, r.elapsed);
          // Everything replayed: the clock reads where the first session stopped.
          if (summary.replayed + 1 == journaled.size()) replay_clock = std::max(replay_clock, time_stop);
          ++summary.replayed;
          continue;
        }
        replaying = false;
        r.canonical = std::move(text);
        r.arch = std::move(canonical);
        jobs.push_back(&r);
      }

      evaluator.evaluate(jobs, [&](EvaluationRecord& r) {
        r.elapsed = elapsed();
        if (!r.error.empty()) {
          if (failure.empty()) failure = r.canonical + ": " + r.error;
          return;  // not journaled: a resumed run evaluates it again
        }
        journal.append(r);
      });
      if (!failure.empty()) {
        // Keep only what completed; the journal already has it.
        for (std::size_t i = records.size(); i-- > first_new;) {
          if (records[i].error.empty()) continue;
          records.erase(records.begin() + static_cast<std::ptrdiff_t>(i));
          scores.erase(scores.begin() + static_cast<std::ptrdiff_t>(i));
        }
        for (std::size_t i = first_new; i < records.size(); ++i) scores[i] = score(records[i], problem);
        break;
      }

      std::vector<Evaluation> results(asks.size());
      for (std::size_t i = first_new; i < records.size(); ++i) {
        scores[i] = score(records[i], problem);
        if (scores[i].feasible()) ++feasible;
      }
      for (std::size_t i = 0; i < asks.size(); ++i) {
        const std::size_t k = ask_record[i];
        results[i].arch = std::move(asks[i]);
        results[i].metrics = records[k].metrics;
        results[i].objectives = scores[k].objectives;
        results[i].violation = scores[k].violation;
        results[i].known = ask_known[i];
      }
      t = Clock::now();
      strategy.tell(results);
      strategy_seconds += std::chrono::duration<double>(Clock::now() - t).count();

      stalled_batches = records.size() == first_new ? stalled_batches + 1 : 0;
      if (stalled_batches >= 50) {
        summary.stop_reason = "the strategy proposed only known architectures 50 times in a row (space exhausted?)";
        break;
      }
      hv.observe(scores);
      if (const double now = elapsed(); progress.due(now)) progress.update(records.size(), feasible, hv.value(scores), now);
      if (std::chrono::duration<double>(Clock::now() - last_write).count() > 2.0) {
        write_outputs(false);
        last_write = Clock::now();
      }
    }
  } catch (...) {
    progress.finish();
    for (std::size_t i = records.size(); i-- > 0;) {
      if (!records[i].metrics.empty() || !records[i].error.empty()) continue;
      records.erase(records.begin() + static_cast<std::ptrdiff_t>(i));  // asked, never evaluated
      scores.erase(scores.begin() + static_cast<std::ptrdiff_t>(i));
    }
    summary.evaluations = records.size();
    summary.stop_reason = "stopped by an error";
    try {
      write_outputs(true);
    } catch (const std::exception& e) {
      spdlog::warn("could not write the outputs after the error: {}", e.what());
    }
    throw;
  }
  progress.finish();
  summary.evaluations = records.size();
  summary.feasible = 0;
  for (const auto& s : scores) summary.feasible += s.feasible() ? 1 : 0;
  if (!failure.empty()) summary.stop_reason = "evaluation failed: " + failure;
  hv.observe(scores);
  write_outputs(true);
  if (!failure.empty())
    throw EvaluationError(failure + " (" + std::to_string(summary.evaluations) + " evaluations kept in " + options.out_dir +
                          "; fix the cause, then `nasctl search --resume " + options.out_dir + "`)");
  return summary;
}

}  // namespace nasctl::runtime
