#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "nasctl/error.hpp"
#include "nasctl/report/report.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/run_dir.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::cli {

namespace {

std::atomic<bool> g_stop{false};

// First Ctrl-C: finish the current batch, write the outputs, exit; the run
// can be resumed. A second one kills at once (the journal still loses nothing).
void on_signal(int) {
  if (g_stop.exchange(true)) std::_Exit(130);
}

}  // namespace

int run_search_command(const SearchOptions& options) {
  runtime::RunOptions run;
  runtime::RunConfig config;
  if (!options.resume_dir.empty()) {
    if (!options.out_dir.empty()) throw Error("--resume and -o both given; fix: --resume DIR continues the run in DIR, drop -o");
    run.resume = true;
    run.out_dir = options.resume_dir;
    // Without -c the run's own config.toml; with -c it must match that one.
    config = options.config.config_file.empty() ? runtime::load_run_config(options.resume_dir, options.config.overrides)
                                                : load_config(options.config);
  } else {
    config = load_config(options.config);
    run.out_dir = options.out_dir.empty() ? config.out : options.out_dir;
  }
  auto session = runtime::open_session(config);
  runtime::prepare_run_dir(run, session->config);

  run.progress_bar = !options.no_progress && ::isatty(STDERR_FILENO);
  run.stop_requested = &g_stop;
  run.command_line = options.command_line;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  const std::size_t threads = session->config.threads ? session->config.threads : std::max(1u, std::thread::hardware_concurrency());
  runtime::LocalEvaluator evaluator(*session->space, session->providers, threads);
  spdlog::info("searching {} with {} ({} evaluation threads); results in {}", session->config.space.plugin,
               session->config.search.plugin, threads, run.out_dir);
  const auto summary = runtime::run_search(*session, evaluator, run);

  std::printf("%s after %zu evaluations (%zu feasible).\n", summary.stop_reason.c_str(), summary.evaluations, summary.feasible);
  if (summary.pareto_size == 0) {
    std::printf("No feasible candidate: pareto.csv is empty. The least-violating candidates are listed in %s/run.json "
                "(least_violating); relax the constraints or widen the space.\n", run.out_dir.c_str());
  } else {
    std::printf("Pareto front: %zu architectures.\n", summary.pareto_size);
  }
  std::printf("Results: %s/pareto.csv, %s/evaluations.csv, %s/run.json\n", run.out_dir.c_str(), run.out_dir.c_str(),
              run.out_dir.c_str());
  if (!options.no_report) {
    // Written from the files just written, exactly as `nasctl report DIR` would.
    const std::string report_file = (std::filesystem::path(run.out_dir) / "report.html").string();
    report::write_report({run.out_dir}, report_file);
    std::printf("Report: %s\n", report_file.c_str());
  }
  return g_stop.load() ? 130 : 0;
}

}  // namespace nasctl::cli
