// Output and run folders: unusable -o targets, folders that already hold a
// run, and --resume of folders that are not runs or whose config or journal
// does not fit. Each is one error line and leaves existing files untouched.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

// A finished 40-evaluation run in DIR/run, from DIR/cfg.toml.
void make_run(const TempDir& dir) {
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto r = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
  REQUIRE(r.exit_code == 0);
}

// Every file of a run folder with its content, to show nothing changed.
std::map<std::string, std::string> snapshot(const std::string& folder) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(folder)) files[e.path().filename().string()] = read_text(e.path().string());
  return files;
}

}  // namespace

TEST_CASE("-o in a place where no folder can be created: error naming the folder") {
  TempDir dir("cli-rundir");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  const auto proc = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", "/proc/nasctl-test/x", "--no-progress"});
  CHECK_USER_ERROR(proc, "/proc/nasctl-test/x: cannot create the output folder", "fix: choose a writable folder with -o");
  CHECK_FALSE(fs::exists("/proc/nasctl-test"));
}

TEST_CASE("-o below a regular file: error naming the folder") {
  TempDir dir("cli-rundir");
  write_text(dir / "cfg.toml", kAnalyticConfig);
  write_text(dir / "file", "not a folder");
  const auto below = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "file/run", "--no-progress"});
  CHECK_USER_ERROR(below, dir / "file/run: cannot create the output folder (", "fix:");
  const auto onto = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "file", "--no-progress"});
  CHECK_USER_ERROR(onto, dir / "file: cannot create the output folder (", "fix:");
  CHECK(read_text(dir / "file") == "not a folder");
}

TEST_CASE("-o of a folder that already holds a run: error pointing at --resume, the run untouched") {
  TempDir dir("cli-rundir");
  make_run(dir);
  const auto before = snapshot(dir / "run");
  const auto r = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
  CHECK_USER_ERROR(r, dir / "run: already holds a run; fix: continue it with `nasctl search --resume " + (dir / "run") + "`");
  CHECK(snapshot(dir / "run") == before);
}

TEST_CASE("--resume of a folder that is not a run: error, and nothing is written there") {
  TempDir dir("cli-rundir");
  fs::create_directories(dir / "empty");
  const auto r = run_nasctl({"search", "--resume", dir / "empty", "--no-progress"});
  CHECK_USER_ERROR(r, dir / "empty", "fix: give a run folder written by `nasctl search`");
  CHECK(fs::is_empty(dir / "empty"));
  const auto missing = run_nasctl({"search", "--resume", dir / "missing", "--no-progress"});
  CHECK_USER_ERROR(missing, dir / "missing", "fix:");
  CHECK_FALSE(fs::exists(dir / "missing"));
}

TEST_CASE("--resume of a folder with a config but no journal: error naming what is missing") {
  TempDir dir("cli-rundir");
  make_run(dir);
  fs::remove(dir / "run/journal.jsonl");
  const auto r = run_nasctl({"search", "--resume", dir / "run", "--no-progress"});
  CHECK_USER_ERROR(r, dir / "run: not a nasctl run folder (no journal.jsonl/config.toml); fix:");
  CHECK_FALSE(fs::exists(dir / "run/journal.jsonl"));
}

TEST_CASE("--resume with a config that differs from the run's: error naming the difference, run untouched") {
  TempDir dir("cli-rundir");
  make_run(dir);
  const auto before = snapshot(dir / "run");
  const auto by_set = run_nasctl({"search", "--resume", dir / "run", "--set", "seed=8", "--no-progress"});
  CHECK_USER_ERROR(by_set, "differs from the config of run " + (dir / "run"), "run has 'seed = 7', this config has 'seed = 8'",
                   "fix: resume with `nasctl search --resume");
  write_text(dir / "other.toml", config_with("population = 8", "population = 10"));
  const auto by_file = run_nasctl({"search", "--resume", dir / "run", "-c", dir / "other.toml", "--no-progress"});
  CHECK_USER_ERROR(by_file, dir / "other.toml: differs from the config of run", "population = 10");
  CHECK(snapshot(dir / "run") == before);
}

TEST_CASE("--resume together with -o: error saying to drop -o") {
  TempDir dir("cli-rundir");
  make_run(dir);
  const auto r = run_nasctl({"search", "--resume", dir / "run", "-o", dir / "other", "--no-progress"});
  CHECK_USER_ERROR(r, "--resume and -o both given; fix:");
  CHECK_FALSE(fs::exists(dir / "other"));
}

TEST_CASE("a corrupt journal line in the middle: resume refuses with file:line, run untouched") {
  TempDir dir("cli-rundir");
  make_run(dir);
  std::string journal = read_text(dir / "run/journal.jsonl");
  std::size_t start = 0;
  for (int line = 1; line < 5; ++line) start = journal.find('\n', start) + 1;
  journal.erase(start + 1, 4);  // line 5 loses the quote and name of its first field
  write_text(dir / "run/journal.jsonl", journal);
  const auto before = snapshot(dir / "run");
  const auto r = run_nasctl({"search", "--resume", dir / "run", "--set", "budget.evaluations=80", "--no-progress"});
  CHECK_USER_ERROR(r, dir / "run/journal.jsonl:5: corrupt journal line; fix: remove that line");
  CHECK(snapshot(dir / "run") == before);
}
