// `nasctl search`, `validate` and `defaults` on good inputs: reproducibility,
// resume after kill -9 or a cut-short journal, budgets, dedup, infeasible
// problems, and what run.json records.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

CliResult search(const TempDir& dir, const std::string& out, const std::vector<std::string>& extra = {},
                 const std::string& config = kAnalyticConfig) {
  write_text(dir / "cfg.toml", config);
  std::vector<std::string> args{"search", "-c", dir / "cfg.toml", "-o", dir / out, "--no-progress"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_nasctl(args);
}

nlohmann::json run_json(const std::string& folder) { return nlohmann::json::parse(read_text(folder + "/run.json")); }

void check_same_results(const std::string& a, const std::string& b) {
  CHECK(rows_without_timing(a + "/evaluations.csv") == rows_without_timing(b + "/evaluations.csv"));
  CHECK(rows_without_timing(a + "/pareto.csv") == rows_without_timing(b + "/pareto.csv"));
}

}  // namespace

TEST_CASE("validate on a good config prints that it is valid and exits 0") {
  TempDir dir("cli-search");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto r = run_nasctl({"validate", "-c", dir / "cfg.toml"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == dir / "cfg.toml" + ": valid (space ofa-mobilenetv3, search nsga2, 1 metric providers, 2 objectives, 0 constraints)\n");
  CHECK(r.err.empty());
}

TEST_CASE("defaults prints a TOML config that validates when its plugins are built") {
  TempDir dir("cli-search");
  const auto r = run_nasctl({"defaults"});
  REQUIRE(r.exit_code == 0);
  toml::table parsed;
  REQUIRE_NOTHROW(parsed = toml::parse(r.out));
  CHECK(parsed["space"]["plugin"].value_or(std::string()) == "ofa-mobilenetv3");
  CHECK(parsed["budget"]["evaluations"].value_or(0) > 0);
  // The embedded default needs the accuracy predictor and the latency
  // measurement; when the tree has them (CMake then defines this and builds
  // them with the suite) it must validate as printed.
#ifndef NASCTL_TEST_DEFAULTS_COMPLETE
  MESSAGE("predictor/measure plugins not in the tree: `defaults` checked as TOML only");
  return;
#endif
  write_text(dir / "defaults.toml", r.out);
  const auto v = run_nasctl({"validate", "-c", dir / "defaults.toml"});
  CHECK_MESSAGE(v.exit_code == 0, v.err);
}

TEST_CASE("a search writes its outputs and meets the evaluation budget exactly, each architecture once") {
  TempDir dir("cli-search");
  const auto r = search(dir, "run", {"--set", "budget.evaluations=37"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("evaluation budget reached after 37 evaluations (37 feasible).") != std::string::npos);
  for (const char* f : {"config.toml", "journal.jsonl", "evaluations.csv", "pareto.csv", "run.json"}) CHECK(fs::exists(dir / "run/" + f));
  const nasctl::CsvTable csv = nasctl::read_csv(dir / "run/evaluations.csv");
  REQUIRE(csv.rows.size() == 37);
  std::set<std::string> archs;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    CHECK(csv.rows[i][0] == std::to_string(i));
    archs.insert(csv.rows[i][csv.column("arch")]);
  }
  CHECK(archs.size() == csv.rows.size());
  CHECK(count_lines(dir / "run/journal.jsonl") == 38);
  CHECK(run_json(dir / "run")["evaluations"] == 37);
}

TEST_CASE("random search also meets the budget with distinct architectures") {
  TempDir dir("cli-search");
  const std::string config = config_with("plugin = \"nsga2\"\npopulation = 8", "plugin = \"random\"\nbatch = 7");
  const auto r = search(dir, "run", {"--set", "budget.evaluations=30"}, config);
  REQUIRE(r.exit_code == 0);
  const nasctl::CsvTable csv = nasctl::read_csv(dir / "run/evaluations.csv");
  REQUIRE(csv.rows.size() == 30);
  std::set<std::string> archs;
  for (const auto& row : csv.rows) archs.insert(row[csv.column("arch")]);
  CHECK(archs.size() == 30);
}

TEST_CASE("the same seed and config give identical results, another seed different ones") {
  TempDir dir("cli-search");
  REQUIRE(search(dir, "a", {"--set", "budget.evaluations=120"}).exit_code == 0);
  REQUIRE(search(dir, "b", {"--set", "budget.evaluations=120"}).exit_code == 0);
  REQUIRE(search(dir, "c", {"--set", "budget.evaluations=120", "--set", "seed=8"}).exit_code == 0);
  check_same_results(dir / "a", dir / "b");
  CHECK(rows_without_timing(dir / "a/evaluations.csv") != rows_without_timing(dir / "c/evaluations.csv"));
}

TEST_CASE("a run killed with SIGKILL mid-run and resumed gives the files of an uninterrupted run") {
  TempDir dir("cli-search");
  const std::string budget = "budget.evaluations=20000";
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const pid_t pid = spawn_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "killed", "--no-progress", "--set", budget},
                                 dir / "killed.out", dir / "killed.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  // Past the header and 100 records (the check below), then killed at once.
  while (count_lines(dir / "killed/journal.jsonl") <= 101 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  ::kill(pid, SIGKILL);
  const auto killed = wait_for(pid);
  REQUIRE(killed.signal == SIGKILL);  // it was still running
  const std::size_t journaled = count_lines(dir / "killed/journal.jsonl");
  CHECK(journaled > 101);
  CHECK(journaled < 20001);
  CHECK_FALSE(fs::exists(dir / "killed/run.json"));

  const auto resumed = run_nasctl({"search", "--resume", dir / "killed", "--no-progress"});
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  CHECK(resumed.out.find("evaluation budget reached after 20000 evaluations") != std::string::npos);
  CHECK(run_json(dir / "killed")["replayed_from_journal"].get<std::size_t>() >= journaled - 1);

  REQUIRE(search(dir, "whole", {"--set", budget}).exit_code == 0);
  check_same_results(dir / "killed", dir / "whole");
}

TEST_CASE("a cut-short last journal line is dropped and the resumed run still matches, and resuming again works") {
  TempDir dir("cli-search");
  REQUIRE(search(dir, "cut", {"--set", "budget.evaluations=100"}).exit_code == 0);
  const std::string journal = read_text(dir / "cut/journal.jsonl");
  write_text(dir / "cut/journal.jsonl", journal.substr(0, journal.size() - 37));
  fs::remove(dir / "cut/run.json");

  const auto resumed = run_nasctl({"search", "--resume", dir / "cut", "--no-progress"});
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  CHECK(run_json(dir / "cut")["replayed_from_journal"] == 99);
  REQUIRE(search(dir, "whole", {"--set", "budget.evaluations=100"}).exit_code == 0);
  check_same_results(dir / "cut", dir / "whole");

  // The fragment must not have been glued to the next record.
  const auto extended = run_nasctl({"search", "--resume", dir / "cut", "--set", "budget.evaluations=160", "--no-progress"});
  REQUIRE_MESSAGE(extended.exit_code == 0, extended.err);
  CHECK(run_json(dir / "cut")["replayed_from_journal"] == 100);
  REQUIRE(search(dir, "whole160", {"--set", "budget.evaluations=160"}).exit_code == 0);
  check_same_results(dir / "cut", dir / "whole160");
}

TEST_CASE("a journal that cannot be appended to (file size limit) is one error line, and the run resumes to the same results") {
  TempDir dir("cli-search");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto full = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "full", "--no-progress", "--set", "budget.evaluations=300"},
                               "", 60, 40000);
  CHECK_USER_ERROR(full, dir / "full/journal.jsonl: cannot append to the journal (File too large)", "the run can be resumed");
  const auto resumed = run_nasctl({"search", "--resume", dir / "full", "--no-progress"});
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  CHECK(run_json(dir / "full")["replayed_from_journal"].get<std::size_t>() > 0);
  REQUIRE(search(dir, "whole", {"--set", "budget.evaluations=300"}).exit_code == 0);
  check_same_results(dir / "full", dir / "whole");
}

TEST_CASE("SIGTERM lets the current batch finish, writes the outputs, exits 130, and the run resumes to the same results") {
  TempDir dir("cli-search");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const pid_t pid = spawn_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "stopped", "--no-progress", "--set",
                                  "budget.evaluations=20000"},
                                 dir / "stopped.out", dir / "stopped.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (count_lines(dir / "stopped/journal.jsonl") <= 100 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  ::kill(pid, SIGTERM);
  const auto stopped = wait_for(pid);
  REQUIRE(stopped.exit_code == 130);
  const auto j = run_json(dir / "stopped");
  CHECK(j["stop_reason"] == "interrupted (resume with --resume)");
  CHECK(j["evaluations"].get<std::size_t>() < 20000);
  CHECK(nasctl::read_csv(dir / "stopped/evaluations.csv").rows.size() == j["evaluations"].get<std::size_t>());

  const auto resumed = run_nasctl({"search", "--resume", dir / "stopped", "--no-progress"});
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  REQUIRE(search(dir, "whole", {"--set", "budget.evaluations=20000"}).exit_code == 0);
  check_same_results(dir / "stopped", dir / "whole");
}

TEST_CASE("an infeasible constraint gives an empty front, exit 0, a message, and the least-violating candidates") {
  TempDir dir("cli-search");
  const auto r = search(dir, "run", {}, kAnalyticConfig + "\n[[constraints]]\nmetric = \"cost.params\"\nmax = 1\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("after 40 evaluations (0 feasible)") != std::string::npos);
  CHECK(r.out.find("No feasible candidate") != std::string::npos);
  const nasctl::CsvTable front = nasctl::read_csv(dir / "run/pareto.csv");
  CHECK(front.rows.empty());
  CHECK(front.header.front() == "index");
  const auto j = run_json(dir / "run");
  CHECK(j["pareto_size"] == 0);
  CHECK(j["feasible"] == 0);
  REQUIRE(j["least_violating"].size() == 5);
  double last = 0;
  for (const auto& c : j["least_violating"]) {
    CHECK(c["violation"].get<double>() > 0);
    CHECK(c["violation"].get<double>() >= last);
    last = c["violation"].get<double>();
    CHECK(c["metrics"].contains("cost.params"));
  }
}

TEST_CASE("run.json records plugins with versions, the providers' conditions, the stop reason and the resolved config") {
  TempDir dir("cli-search");
  const auto r = search(dir, "run", {"--set", "search.population=6", "--set", "hardware.cost.bytes_per_element=2"});
  REQUIRE(r.exit_code == 0);
  const auto j = run_json(dir / "run");
  CHECK(j["stop_reason"] == "evaluation budget reached");
  CHECK(j["seed"] == 7);
  std::set<std::string> plugins;
  for (const auto& p : j["plugins"]) {
    plugins.insert(p["name"].get<std::string>() + " " + p["version"].get<std::string>());
    CHECK(fs::exists(p["file"].get<std::string>()));
  }
  CHECK(plugins == std::set<std::string>{"ofa-mobilenetv3 1.0.0", "nsga2 1.0.0", "analytic 1.0.0"});
  CHECK(j["providers"]["cost"]["conditions"]["bytes_per_element"] == "2");
  CHECK(j["providers"]["cost"]["conditions"].contains("method"));
  const std::string config = j["config_toml"];
  CHECK(config.find("population = 6") != std::string::npos);
  CHECK(config.find("bytes_per_element = 2") != std::string::npos);
  CHECK(j["command"].get<std::string>().find("--set search.population=6") != std::string::npos);
  CHECK(j["timings"]["run_seconds"].get<double>() > 0);
  CHECK(j.contains("hypervolume"));
}

TEST_CASE("a time budget stops the search when it is spent, and resuming that run keeps its results") {
  TempDir dir("cli-search");
  const std::string config = config_with("evaluations = 40", "evaluations = 100000000\nseconds = 1");
  const auto start = std::chrono::steady_clock::now();
  const auto r = search(dir, "run", {}, config);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("time budget reached after ") != std::string::npos);
  CHECK(wall >= 1.0);
  CHECK(wall < 20.0);
  const auto j = run_json(dir / "run");
  CHECK(j["stop_reason"] == "time budget reached");
  CHECK(j["timings"]["run_seconds"].get<double>() >= 1.0);
  CHECK(j["evaluations"].get<std::size_t>() > 0);

  // The journal's clock says the time was spent: the resumed run replays
  // everything and stops where the first one did, outputs unchanged.
  const auto csv = rows_without_timing(dir / "run/evaluations.csv");
  const auto front = rows_without_timing(dir / "run/pareto.csv");
  const auto resumed = run_nasctl({"search", "--resume", dir / "run", "--no-progress"});
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  CHECK(resumed.out.find("time budget reached after " + std::to_string(j["evaluations"].get<std::size_t>()) + " evaluations") !=
        std::string::npos);
  CHECK(rows_without_timing(dir / "run/evaluations.csv") == csv);
  CHECK(rows_without_timing(dir / "run/pareto.csv") == front);
  CHECK(run_json(dir / "run")["replayed_from_journal"] == j["evaluations"]);
}
