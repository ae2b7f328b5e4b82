#include "run_outputs.hpp"

#include <ctime>
#include <filesystem>

#include "nasctl/atomic_file.hpp"
#include "nasctl/runtime/run_report.hpp"

namespace nasctl::runtime {

namespace {

std::string in_run_dir(const RunOptions& options, const char* name) {
  return (std::filesystem::path(options.out_dir) / name).string();
}

}  // namespace

std::string iso_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

RunOutputs::RunOutputs(const Session& session, const RunOptions& options)
    : session_(session),
      options_(options),
      metric_names_(session.metric_names()),
      last_write_(std::chrono::steady_clock::now()) {}

bool RunOutputs::due() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - last_write_).count() > 2.0;
}

std::vector<std::size_t> RunOutputs::write_csvs(const std::vector<EvaluationRecord>& ordered, RunSummary& summary) {
  write_file_atomically(in_run_dir(options_, "evaluations.csv"), evaluations_csv(ordered, metric_names_), "the run");
  const auto front = pareto_indices(ordered);
  write_file_atomically(in_run_dir(options_, "pareto.csv"), evaluations_csv(ordered, metric_names_, &front),
                        "the run");
  summary.pareto_size = front.size();
  last_write_ = std::chrono::steady_clock::now();
  return front;
}

void RunOutputs::write_tables(const RunState& state, RunSummary& summary) {
  write_csvs(state.ordered_records(), summary);
}

void RunOutputs::write_final(const RunState& state, RunSummary& summary, const RunTimes& times,
                             const HypervolumeTracker& hypervolume) {
  const std::vector<EvaluationRecord> ordered = state.ordered_records();
  const std::vector<std::size_t> front = write_csvs(ordered, summary);
  const RunReport report{session_,       summary,        times.started,           iso_now(), times.elapsed,
                         times.session,  times.strategy, hypervolume.reference(), ordered,   front,
                         options_.command_line, &options_.ranks};
  write_file_atomically(in_run_dir(options_, "run.json"), run_json(report), "the run");
}

}  // namespace nasctl::runtime
