// Bad input to `nasctl report` and `nasctl pick`: each is one line
// "nasctl: error: ...; fix: ..." with exit code 2, and nothing already
// written is lost.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "report_fixtures.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

TEST_CASE("a folder that is not a run, or no folder at all: report and pick say so") {
  TempDir dir("report-errors");
  fs::create_directories(dir / "empty");
  for (const std::string command : {"report", "pick"}) {
    INFO(command);
    const std::vector<std::string> out = command == "report" ? std::vector<std::string>{"-o", dir / "r.html"} : std::vector<std::string>{};
    std::vector<std::string> args{command, dir / "empty"};
    args.insert(args.end(), out.begin(), out.end());
    CHECK_USER_ERROR(run_nasctl(args),
                     dir / "empty: not a nasctl run folder (no run.json); fix: give a folder written by `nasctl search`");
    args[1] = dir / "missing";
    CHECK_USER_ERROR(run_nasctl(args), dir / "missing: no such folder; fix:");
  }
  write_text(dir / "notes.txt", "not a run");
  CHECK_USER_ERROR(run_nasctl({"report", dir / "notes.txt", "-o", dir / "r.html"}), dir / "notes.txt: not a run folder (a file)",
                   "fix:");
  CHECK_FALSE(fs::exists(dir / "r.html"));
}

TEST_CASE("a run that has not finished, or one from a newer nasctl, is refused with what to do") {
  TempDir dir("report-errors");
  REQUIRE(search_run(dir, "run", kAnalyticConfig, {"--no-report"}).exit_code == 0);
  const std::string json = read_text(dir / "run/run.json");
  auto j = nlohmann::json::parse(json);
  CHECK(j["run_format_version"] == 1);
  j["run_format_version"] = 2;
  write_text(dir / "run/run.json", j.dump(2));
  CHECK_USER_ERROR(run_nasctl({"report", dir / "run", "-o", dir / "r.html"}),
                   dir / "run/run.json: a run of format version 2, newer than this nasctl reads (1); fix:");
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run"}), "format version 2");
  fs::remove(dir / "run/run.json");
  CHECK_USER_ERROR(run_nasctl({"report", dir / "run", "-o", dir / "r.html"}),
                   dir / "run: the run has not finished (no run.json yet); fix: finish it with `nasctl search --resume " +
                       (dir / "run") + "`");
  CHECK_FALSE(fs::exists(dir / "r.html"));
}

TEST_CASE("pick --where that does not parse, names an unknown metric, or leaves nothing") {
  TempDir dir("report-errors");
  REQUIRE(search_run(dir, "run", kAnalyticConfig, {"--no-report"}).exit_code == 0);
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run", "--where", "cost.macs<=abc"}),
                   "--where 'cost.macs<=abc': 'abc' is not a number; fix: write METRIC OP NUMBER");
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run", "--where", "cost.macs 10"}), "--where 'cost.macs 10': no comparison");
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run", "--where", "cost.mac<=1e9"}),
                   "--where 'cost.mac<=1e9': the run has no metric 'cost.mac'; did you mean 'cost.macs'?",
                   "fix: name one of its metrics: cost.macs, cost.params");
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run", "--where", "cost.macs<=1", "--where", "cost.params>0"}),
                   dir / "run: none of the 40 feasible evaluations satisfies every --where: cost.macs<=1 (feasible values ",
                   "fix: relax --where");
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run", "--best", "cost.parms"}), "did you mean 'cost.params'?");
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run", "--export", "-"}), "--export -:", "fix: give a file name");
}

TEST_CASE("pick on a run with nothing feasible: nothing to pick, and why") {
  TempDir dir("report-errors");
  REQUIRE(search_run(dir, "run", constrained_random_config("1.0"), {"--no-report"}).exit_code == 0);
  CHECK_USER_ERROR(run_nasctl({"pick", dir / "run"}), dir / "run: the run has no feasible evaluation, so nothing to pick; fix:");
}

TEST_CASE("a report path that cannot be written: one line, and an existing report keeps its content") {
  TempDir dir("report-errors");
  REQUIRE(search_run(dir, "run", kAnalyticConfig, {"--no-report"}).exit_code == 0);
  write_text(dir / "file", "a file");
  CHECK_USER_ERROR(run_nasctl({"report", dir / "run", "-o", dir / "file/report.html"}), dir / "file/report.html:", "fix:");
  CHECK_USER_ERROR(run_nasctl({"report", dir / "run", "-o", dir / "run"}), dir / "run: is a folder; fix:");
  // A disk that fills up mid-write (every file limited to 1 kB): the old report stays whole.
  write_text(dir / "old.html", "the old report");
  CHECK_USER_ERROR(run_nasctl({"report", dir / "run", "-o", dir / "old.html"}, "", 60, 1000), dir / "old.html:",
                   "nothing was written");
  CHECK(read_text(dir / "old.html") == "the old report");
  CHECK(read_text(dir / "file") == "a file");
}
