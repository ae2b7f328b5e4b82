#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "nasctl/error.hpp"
#include "nasctl/report/report.hpp"
#include "nasctl/subspace.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/mpi.hpp"
#include "nasctl/runtime/run_dir.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::cli {

namespace {

std::atomic<bool> g_stop{false};

// First Ctrl-C: finish the current batch, write the outputs, exit; the run
// can be resumed. A second one kills at once (the journal still loses nothing).
// Under mpirun a signal means the job is going down (a rank died, or the
// job was cancelled) and the launcher may kill rank 0 before it can log: the
// line is written at once, from the handler.
std::string g_signal_line;

void on_signal(int) {
  if (!g_signal_line.empty()) (void)!::write(STDERR_FILENO, g_signal_line.data(), g_signal_line.size());
  if (g_stop.exchange(true)) std::_Exit(130);
}

}  // namespace

namespace {

// The run's config and folder, from -c/-o or --resume (every rank reads them alike).
runtime::RunConfig read_config(const SearchOptions& options, runtime::RunOptions& run) {
  if (!options.resume_dir.empty()) {
    if (!options.out_dir.empty()) throw Error("--resume and -o both given; fix: --resume DIR continues the run in DIR, drop -o");
    run.resume = true;
    run.out_dir = options.resume_dir;
    // Without -c the run's own config.toml; with -c it must match that one.
    return options.config.config_file.empty() ? runtime::load_run_config(options.resume_dir, options.config.overrides)
                                              : load_config(options.config);
  }
  runtime::RunConfig config = load_config(options.config);
  run.out_dir = options.out_dir.empty() ? config.out : options.out_dir;
  return config;
}

int finish(const SearchOptions& options, const runtime::RunOptions& run, const runtime::RunSummary& summary) {
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

void catch_signals(runtime::RunOptions& run, const SearchOptions& options) {
  run.progress_bar = !options.no_progress && ::isatty(STDERR_FILENO);
  run.stop_requested = &g_stop;
  run.command_line = options.command_line;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

int run_local(const SearchOptions& options) {
  runtime::RunOptions run;
  auto session = runtime::open_session(read_config(options, run));
  runtime::prepare_run_dir(run, session->config);
  catch_signals(run, options);

  const std::size_t threads = session->config.threads ? session->config.threads : std::max(1u, std::thread::hardware_concurrency());
  runtime::LocalEvaluator evaluator(*session->space, session->providers, threads);
  spdlog::info("searching {} with {} ({} evaluation threads); results in {}", session->config.space.plugin,
               session->config.search.plugin, threads, run.out_dir);
  return finish(options, run, runtime::run_search(*session, evaluator, run));
}

// Staged searches announce sub-spaces to providers on rank 0 only.
void check_distributable(const runtime::Session& session) {
  if (!dynamic_cast<const StagedSearch*>(session.search.get())) return;
  for (const auto& p : session.providers) {
    if (dynamic_cast<const SubspaceAware*>(p.provider.get()))
      throw Error("search plugin '" + session.config.search.plugin + "' searches in stages and provider '" + p.instance +
                  "' prepares for each one, which nasctl does not yet do on MPI workers; fix: run this search without "
                  "mpirun/srun");
  }
}

// Under mpirun/srun (docs/distributed.md): rank 0 searches, the other ranks
// evaluate. Every rank reads the config and opens its own plugins; rank 0
// refuses the job when a worker's config or plugins differ from its own.
int run_distributed(const SearchOptions& options, const std::string& launcher) {
  if (!runtime::mpi_built())
    throw Error("started by an MPI launcher (" + launcher + ") but this nasctl was built without MPI support; fix: "
                "install libopenmpi-dev and rebuild with -DNASCTL_MPI=ON, or run nasctl search without mpirun/srun");
  runtime::MpiJob job;
  if (job.size() == 1) {
    spdlog::info("started by an MPI launcher with one process: nothing to distribute, evaluating in this process as "
                 "without mpirun (start more processes, e.g. mpirun -np 4, to evaluate on workers)");
    return run_local(options);
  }
  const bool coordinator = job.rank() == 0;
  // For plugins and the commands they run: which rank this is, whatever the
  // launcher (the command plugin's {rank} and {local_rank}).
  const std::string local_rank = runtime::fingerprint_of(nullptr, "").who.local_rank;
  ::setenv("NASCTL_RANK", std::to_string(job.rank()).c_str(), 1);
  ::setenv("NASCTL_LOCAL_RANK", local_rank.empty() ? "0" : local_rank.c_str(), 1);
  // Workers log warnings and errors only: N copies of rank 0's log say nothing new.
  if (!coordinator && spdlog::get_level() == spdlog::level::info) spdlog::set_level(spdlog::level::warn);
  runtime::RunOptions run;
  std::unique_ptr<runtime::Session> session;
  std::exception_ptr own_error;
  std::string error;
  try {
    session = runtime::open_session(read_config(options, run), coordinator);
    if (coordinator) check_distributable(*session);
  } catch (const std::exception& e) {
    own_error = std::current_exception();
    error = e.what();
    session.reset();
  }
  std::vector<runtime::RankInfo> ranks;
  try {
    ranks = job.agree(runtime::fingerprint_of(session.get(), error));
  } catch (const runtime::WorkerRefused&) {
    // Rank 0 says why and exits with 2. A worker exiting non-zero first would
    // make the launcher kill rank 0 before it can.
    return 0;
  }
  if (own_error) std::rethrow_exception(own_error);

  if (!coordinator) {
    try {
      job.serve(*session);
    } catch (const std::exception& e) {
      throw Error("MPI rank " + std::to_string(job.rank()) + ": " + e.what());
    }
    return 0;
  }
  runtime::prepare_run_dir(run, session->config);
  catch_signals(run, options);
  run.ranks = ranks;
  g_signal_line = "nasctl: rank 0 was signalled: a rank died or the MPI job was cancelled (the launcher's message says "
                  "which); every finished evaluation is in " + run.out_dir + "/journal.jsonl; continue with `mpirun -np N "
                  "nasctl search --resume " + run.out_dir + "` (any N)\n";
  auto evaluator = job.evaluator(&g_stop, run.out_dir);
  spdlog::info("searching {} with {} on {} MPI worker processes ({}); results in {}", session->config.space.plugin,
               session->config.search.plugin, job.size() - 1, launcher, run.out_dir);
  const auto summary = runtime::run_search(*session, *evaluator, run);
  job.stop_workers();
  return finish(options, run, summary);
}

}  // namespace

int run_search_command(const SearchOptions& options) {
  const std::string launcher = runtime::mpi_launcher();
  if (!launcher.empty()) return run_distributed(options, launcher);
  return run_local(options);
}

}  // namespace nasctl::cli
