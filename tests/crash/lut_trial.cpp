#include "lut_trial.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli_runner.hpp"
#include "nasctl/csv.hpp"

namespace nasctl::crash {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> build_args(const std::string& config_file, const std::string& table) {
  return {"lut", "build", "-c", config_file, "--hardware", "cpu", "-o", table, "--no-progress"};
}

// The table's rows: comment lines ("# ...") left out, a cut-short last line
// (a build killed mid-append) dropped, parsed as CSV by nasctl's reader.
CsvTable table_rows(const std::string& table, const std::string& scratch) {
  std::ifstream in(table, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  if (!text.empty() && text.back() != '\n') text.erase(text.find_last_of('\n') + 1);
  std::istringstream lines(text);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#", 0) != 0) kept += line + '\n';
  }
  std::ofstream(scratch, std::ios::binary | std::ios::trunc) << kept;
  return read_csv(scratch);
}

// Keys of the table's rows; a key seen twice is a problem.
std::set<std::string> distinct_keys(const CsvTable& rows, Problems& problems) {
  std::set<std::string> keys;
  const std::size_t key = rows.column("key");
  for (const auto& row : rows.rows) {
    if (!keys.insert(row[key]).second) problems.push_back("table: signature measured twice: " + row[key]);
  }
  return keys;
}

}  // namespace

std::string lut_config_text() {
  return "seed = 3\nout = \"runs/unused\"\n\n[space]\nplugin = \"ofa-mobilenetv3\"\nresolutions = [128]\n\n"
         "[search]\nplugin = \"random\"\n\n[budget]\nevaluations = 4\n\n"
         "[[hardware]]\nname = \"cpu\"\nplugin = \"measure\"\nthreads = 1\nwarmup = 1\nrepeats = 3\n"
         "ci_target_percent = 0\n\n[[objectives]]\nmetric = \"cpu.latency_ms\"\ngoal = \"min\"\n";
}

LutReference run_lut_reference(const std::string& config_file, const std::string& work_dir) {
  const fs::path dir = fs::path(work_dir) / "reference-lut";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const WholeRun run = run_whole(build_args(config_file, (dir / "lut.csv").string()), dir.string(), (dir / "log").string());
  if (run.exit_code != 0)
    throw std::runtime_error("the uninterrupted lut build failed (exit " + std::to_string(run.exit_code) + "); see " +
                             (dir / "log.err").string());
  LutReference ref;
  ref.seconds = run.seconds;
  ref.writes = run.writes;
  Problems problems;
  ref.keys = distinct_keys(table_rows((dir / "lut.csv").string(), (dir / "rows.csv").string()), problems);
  if (!problems.empty()) throw std::runtime_error("the uninterrupted lut build: " + problems.front());
  return ref;
}

LutTrialResult run_lut_trial(const std::string& config_file, const LutReference& reference, const std::string& trial_dir,
                             std::mt19937_64& rng, bool at_writes, int kills) {
  LutTrialResult result;
  fs::remove_all(trial_dir);
  // Its own folder, so the only atomic writes counted are the table's.
  const fs::path folder = fs::path(trial_dir) / "table";
  fs::create_directories(folder);
  const std::string table = (folder / "lut.csv").string();
  const std::string scratch = (fs::path(trial_dir) / "rows.csv").string();
  auto table_whole = [&] {
    Problems problems;
    if (!fs::exists(table) || fs::file_size(table) == 0) return problems;  // killed before the table's first write
    try {
      distinct_keys(table_rows(table, scratch), problems);
    } catch (const std::exception& e) {
      problems.push_back(std::string("the table does not parse: ") + e.what());
    }
    return problems;
  };
  Attempts attempts = kill_repeatedly(kills, at_writes, reference.seconds, reference.writes, rng,
                                      [&] { return build_args(config_file, table); }, folder.string(), trial_dir,
                                      table_whole);
  result.moments = std::move(attempts.moments);
  result.outcomes = std::move(attempts.outcomes);
  result.problems = std::move(attempts.problems);
  const test::CliResult last = test::run_nasctl(build_args(config_file, table), "", 600);
  if (last.exit_code != 0) {
    result.problems.push_back("the final build exited " + std::to_string(last.exit_code) + ": " + last.err);
    return result;
  }
  const CsvTable rows = table_rows(table, scratch);
  const std::set<std::string> keys = distinct_keys(rows, result.problems);
  if (keys != reference.keys)
    result.problems.push_back("table: " + std::to_string(keys.size()) + " signatures, the uninterrupted build has " +
                              std::to_string(reference.keys.size()) + " (or other ones)");
  const std::size_t status = rows.column("status");
  for (const auto& row : rows.rows) {
    if (row[status] != "ok") result.problems.push_back("table: a row with status '" + row[status] + "'");
  }
  for (const auto& t : temporaries_in(folder.string())) result.problems.push_back("temporary left beside the table: " + t);
  return result;
}

}  // namespace nasctl::crash
