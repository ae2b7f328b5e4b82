// Temporaries of atomic writes that a kill left behind: which files
// remove_leftover_temporaries takes (exactly those write_file_atomically
// names, of the one file asked about), and that a new or resumed search or
// training removes those of its run folder.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "cli_runner.hpp"
#include "nasctl/atomic_file.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

std::set<std::string> names_in(const TempDir& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.insert(e.path().filename().string());
  return names;
}

const char* kConfig = R"(seed = 5
out = "runs/unused"

[space]
plugin = "ofa-mobilenetv3"

[search]
plugin = "random"
batch = 4

[budget]
evaluations = 12

[[hardware]]
name = "cost"
plugin = "analytic"

[[objectives]]
metric = "cost.macs"
goal = "min"
)";

}  // namespace

TEST_CASE("only the file's own temporaries, with a suffix write_file_atomically could draw, are removed") {
  TempDir dir("leftovers");
  for (const char* name : {"table.csv", "table.csv.tmp-a1b2c3", "table.csv.tmp-zzzzzz", "table.csv.tmp-ABCDEF",
                           "table.csv.tmp-a1b2c", "table.csv.tmp-a1b2c3d", "other.csv.tmp-a1b2c3", "table.csv.tmp-a1-2c3",
                           "xtable.csv.tmp-a1b2c3"})
    write_text(dir / name, "x");
  fs::create_directory(dir / "table.csv.tmp-000000");  // a folder is never a temporary

  const auto removed = nasctl::remove_leftover_temporaries(dir / "table.csv");
  CHECK(std::set<std::string>(removed.begin(), removed.end()) ==
        std::set<std::string>{dir / "table.csv.tmp-a1b2c3", dir / "table.csv.tmp-zzzzzz"});
  CHECK(names_in(dir) == std::set<std::string>{"table.csv", "table.csv.tmp-ABCDEF", "table.csv.tmp-a1b2c",
                                               "table.csv.tmp-a1b2c3d", "other.csv.tmp-a1b2c3", "table.csv.tmp-a1-2c3",
                                               "xtable.csv.tmp-a1b2c3", "table.csv.tmp-000000"});
}

TEST_CASE("a missing folder has no temporaries, and removing them leaves the file and a later write intact") {
  TempDir dir("leftovers");
  CHECK(nasctl::remove_leftover_temporaries(dir / "missing/table.csv").empty());
  nasctl::write_file_atomically(dir / "out.csv", "a,b\n");
  write_text(dir / "out.csv.tmp-killed", "a,");
  CHECK(nasctl::remove_leftover_temporaries(dir / "out.csv").size() == 1);
  nasctl::write_file_atomically(dir / "out.csv", "a,b\n1,2\n");
  CHECK(read_text(dir / "out.csv") == "a,b\n1,2\n");
  CHECK(names_in(dir) == std::set<std::string>{"out.csv"});
}

TEST_CASE("resuming a run folder removes the temporaries a killed run left beside its outputs") {
  TempDir dir("leftovers");
  write_text(dir / "cfg.toml", kConfig);
  REQUIRE(run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"}).exit_code == 0);
  for (const char* name : {"evaluations.csv.tmp-abc123", "pareto.csv.tmp-0a0a0a", "run.json.tmp-zz9zz9",
                           "report.html.tmp-qwerty", "config.toml.tmp-111111"})
    write_text(dir / (std::string("run/") + name), "half a fi");
  write_text(dir / "run/notes.txt.tmp-abc123", "not nasctl's");

  const auto resumed = run_nasctl({"search", "--resume", dir / "run", "--no-progress"});
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(dir / "run")) left.insert(e.path().filename().string());
  CHECK(left == std::set<std::string>{"config.toml", "journal.jsonl", "evaluations.csv", "pareto.csv", "run.json",
                                      "report.html", "notes.txt.tmp-abc123"});
}

TEST_CASE("a new run in a folder where a killed run never got to its journal removes that run's temporaries") {
  TempDir dir("leftovers");
  write_text(dir / "cfg.toml", kConfig);
  fs::create_directories(dir / "run");
  write_text(dir / "run/config.toml.tmp-k1ll3d", "seed =");
  const auto r = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK_FALSE(fs::exists(dir / "run/config.toml.tmp-k1ll3d"));
  CHECK(fs::exists(dir / "run/run.json"));
}

TEST_CASE("a new or resumed training removes the temporaries a killed training left beside its files") {
  TempDir dir("leftovers");
  // The grey small-stem space on 32 Fashion-MNIST images: an epoch in a
  // second or two.
  write_text(dir / "train.toml", R"(seed = 5
out = "runs/unused"
[space]
plugin = "ofa-mobilenetv3"
width = 0.35
classes = 10
input_channels = 1
stem = "small"
resolutions = [28]
[train]
train_images = 32
batch_size = 16
validation_images = 20
calibration_images = 16
calibration_batch = 16
epochs = 1
threads = 1
)");
  fs::create_directories(dir / "run");
  write_text(dir / "run/checkpoint.pt.tmp-k1ll3d", "PK");  // killed before the first state: a new run
  const auto first = run_nasctl({"train", "-c", dir / "train.toml", "-o", dir / "run", "--no-progress"}, "", 120);
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK_FALSE(fs::exists(dir / "run/checkpoint.pt.tmp-k1ll3d"));
  CHECK(first.err.find("checkpoint.pt.tmp-k1ll3d, left by a run killed while writing it") != std::string::npos);

  for (const char* name : {"train_state.pt.tmp-abc123", "metrics.csv.tmp-0a0a0a", "config.toml.tmp-zz9zz9"})
    write_text(dir / (std::string("run/") + name), "half a fi");
  write_text(dir / "run/notes.txt.tmp-abc123", "not nasctl's");
  const auto resumed = run_nasctl({"train", "--resume", dir / "run", "--no-progress"}, "", 120);
  REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(dir / "run")) left.insert(e.path().filename().string());
  CHECK(left ==
        std::set<std::string>{"config.toml", "checkpoint.pt", "train_state.pt", "metrics.csv", "notes.txt.tmp-abc123"});
}
