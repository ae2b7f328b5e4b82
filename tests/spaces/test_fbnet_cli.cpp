// The fbnet plugin end to end: `nasctl search` with the analytic hardware
// model runs on it and every row it writes is the network the space lowers;
// `nasctl evaluate` reads the op-list form; an unknown [space] key is refused.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "cli_runner.hpp"
#include "fbnet_space.hpp"
#include "nasctl/csv.hpp"
#include "plugin_config.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;

namespace {

const std::string kFbnetConfig = R"(seed = 3
out = "runs/unused"

[space]
plugin = "fbnet"

[search]
plugin = "nsga2"
population = 10

[budget]
evaluations = 60

[run]
threads = 2

[[hardware]]
name = "cost"
plugin = "analytic"

[[objectives]]
metric = "cost.macs"
goal = "min"

[[objectives]]
metric = "cost.params"
goal = "max"
)";

}  // namespace

TEST_CASE("fbnet cli: a search with the analytic model runs end to end and its rows are the space's networks") {
  TempDir dir("fbnet-search");
  write_text(dir / "cfg.toml", kFbnetConfig);
  const auto r = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("evaluation budget reached after 60 evaluations") != std::string::npos);
  const nasctl::CsvTable csv = nasctl::read_csv(dir / "run/evaluations.csv");
  REQUIRE(csv.rows.size() == 60);
  const auto space = make_plugin<nasctl::spaces::fbnet::FbnetSpace>();
  std::set<std::string> archs;
  for (const auto& row : csv.rows) {
    const std::string& text = row[csv.column("arch")];
    archs.insert(text);
    const nasctl::Architecture a = space->parse(text);
    CHECK(space->to_string(a) == text);  // the run writes the canonical op list
    const nasctl::NetworkCost cost = nasctl::count_cost(space->lower(a));
    CHECK(row[csv.column("cost.macs")] == std::to_string(cost.macs));
    CHECK(row[csv.column("cost.params")] == std::to_string(cost.params));
  }
  CHECK(archs.size() == 60);
  CHECK(read_text(dir / "run/pareto.csv").find("k") != std::string::npos);
}

TEST_CASE("fbnet cli: evaluate takes the op-list and HW-NAS-Bench's index list, with the hand-counted all-skip MACs") {
  TempDir dir("fbnet-eval");
  write_text(dir / "cfg.toml", kFbnetConfig);
  std::string skips = "skip", indices = "[8";
  for (int i = 1; i < 22; ++i) {
    skips += "|skip";
    indices += ", 8";
  }
  indices += "]";
  // The index list goes through --archs: on the command line CLI11 splits a
  // bracketed argument at its commas.
  write_text(dir / "archs.txt", indices + "\n");
  const auto r = run_nasctl({"evaluate", "-c", dir / "cfg.toml", skips, "--archs", dir / "archs.txt"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  // Both arguments are the same network, each row in the canonical form.
  const std::string row = skips + ",11608960,780660,";
  CHECK(r.out.find(row) != std::string::npos);
  CHECK(r.out.find(row) != r.out.rfind(row));

  const auto bad = run_nasctl({"evaluate", "-c", dir / "cfg.toml", "k3_e1|skip"});
  CHECK_USER_ERROR(bad, "has 2 blocks; the FBNet space needs 22");
}

TEST_CASE("fbnet cli: an unknown [space] key and a bad input value are refused with the key named") {
  TempDir dir("fbnet-keys");
  std::string config = kFbnetConfig;
  config.replace(config.find("plugin = \"fbnet\""), 16, "plugin = \"fbnet\"\nresolution = 64");
  write_text(dir / "cfg.toml", config);
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "cfg.toml"}), "resolution");

  config = kFbnetConfig;
  config.replace(config.find("plugin = \"fbnet\""), 16, "plugin = \"fbnet\"\ninput = \"mnist\"");
  write_text(dir / "cfg.toml", config);
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "cfg.toml"}), "input", "mnist");

  config = kFbnetConfig;
  config.replace(config.find("plugin = \"fbnet\""), 16, "plugin = \"fbnet\"\ninput = \"imagenet\"");
  write_text(dir / "cfg.toml", config);
  const auto ok = run_nasctl({"validate", "-c", dir / "cfg.toml"});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
}
