#include "train_trial.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli_runner.hpp"
#include "nasctl/csv.hpp"

namespace nasctl::crash {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> new_run_args(const std::string& config_file, const std::string& run_dir) {
  return {"train", "-c", config_file, "-o", run_dir, "--no-progress"};
}

// What a user types after a crash: resume once a training state exists;
// before the first epoch ended there is none and the original command
// starts again.
std::vector<std::string> restart_args(const std::string& config_file, const std::string& run_dir) {
  if (fs::exists(fs::path(run_dir) / "train_state.pt")) return {"train", "--resume", run_dir, "--no-progress"};
  return new_run_args(config_file, run_dir);
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

// metrics.csv without its wall-clock columns, one line per epoch.
std::vector<std::string> epoch_figures(const fs::path& metrics) {
  const CsvTable table = read_csv(metrics.string());
  std::vector<std::string> lines;
  for (const auto& row : table.rows) {
    std::string line;
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      if (table.header[c] == "seconds" || table.header[c] == "images_per_second") continue;
      line += table.header[c] + "=" + row[c] + " ";
    }
    lines.push_back(line);
  }
  return lines;
}

// After a kill: whatever is there under its real name is whole (atomic
// writes): metrics.csv parses and lists epochs 1..n in order.
Problems check_killed_run(const fs::path& run_dir) {
  Problems problems;
  const fs::path metrics = run_dir / "metrics.csv";
  if (!fs::exists(metrics)) return problems;
  try {
    const CsvTable table = read_csv(metrics.string());
    const std::size_t epoch = table.column("epoch");
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      if (table.number(r, epoch) != static_cast<double>(r + 1))
        problems.push_back("metrics.csv: " + table.where(r) + " is not epoch " + std::to_string(r + 1));
    }
  } catch (const std::exception& e) {
    problems.push_back(std::string("metrics.csv does not parse: ") + e.what());
  }
  return problems;
}

}  // namespace

std::string train_config_text() {
  return "seed = 5\nout = \"runs/unused\"\n\n[space]\nplugin = \"ofa-mobilenetv3\"\nwidth = 0.35\nclasses = 10\n"
         "input_channels = 1\nstem = \"small\"\nresolutions = [28]\n\n"
         "[train]\ndataset = \"fashion-mnist\"\ntrain_images = 96\nbatch_size = 16\nvalidation_images = 40\n"
         "calibration_images = 32\ncalibration_batch = 32\nepochs = 3\nsampler = \"sandwich\"\nrandom_per_step = 1\n"
         "lr = 0.05\nthreads = 1\n";
}

TrainReference run_train_reference(const std::string& config_file, const std::string& work_dir) {
  TrainReference ref;
  ref.dir = (fs::path(work_dir) / "reference-train").string();
  fs::remove_all(ref.dir);
  fs::create_directories(ref.dir);
  const WholeRun run = run_whole(new_run_args(config_file, ref.dir), ref.dir, ref.dir + "-log");
  if (run.exit_code != 0)
    throw std::runtime_error("the uninterrupted training failed (exit " + std::to_string(run.exit_code) + "); see " +
                             ref.dir + "-log.err");
  ref.seconds = run.seconds;
  ref.writes = run.writes;
  return ref;
}

TrainTrialResult run_train_trial(const std::string& config_file, const TrainReference& reference,
                                 const std::string& trial_dir, std::mt19937_64& rng, bool at_writes, int kills) {
  TrainTrialResult result;
  fs::remove_all(trial_dir);
  const fs::path run_dir = fs::path(trial_dir) / "run";
  fs::create_directories(run_dir);
  Attempts attempts = kill_repeatedly(
      kills, at_writes, reference.seconds, reference.writes, rng,
      [&] { return restart_args(config_file, run_dir.string()); }, run_dir.string(), trial_dir,
      [&] { return check_killed_run(run_dir); });
  result.moments = std::move(attempts.moments);
  result.outcomes = std::move(attempts.outcomes);
  result.problems = std::move(attempts.problems);
  const test::CliResult last = test::run_nasctl(restart_args(config_file, run_dir.string()), "", 600);
  if (last.exit_code != 0) {
    result.problems.push_back("the final run exited " + std::to_string(last.exit_code) + ": " + last.err);
    return result;
  }
  const fs::path ref(reference.dir);
  if (file_bytes(run_dir / "checkpoint.pt") != file_bytes(ref / "checkpoint.pt"))
    result.problems.push_back("checkpoint.pt differs from the uninterrupted run's");
  try {
    if (epoch_figures(run_dir / "metrics.csv") != epoch_figures(ref / "metrics.csv"))
      result.problems.push_back("metrics.csv: the epochs' figures differ from the uninterrupted run's");
  } catch (const std::exception& e) {
    result.problems.push_back(std::string("metrics.csv: ") + e.what());
  }
  for (const auto& t : temporaries_in(run_dir.string())) result.problems.push_back("temporary left in the run: " + t);
  return result;
}

}  // namespace nasctl::crash
