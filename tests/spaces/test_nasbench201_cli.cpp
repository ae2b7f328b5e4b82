// nasctl end to end on nasbench201, as a user runs it: a search with the
// analytic and measure hardware models, a lookup table that `lut build`
// enumerates exactly, and config errors in one line.
#include <doctest/doctest.h>

#include <string>

#include "cli_runner.hpp"
#include "nasbench201_space.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/network_spec.hpp"
#include "plugin_config.hpp"
#include "search_config.hpp"
#include "searched_rows.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using namespace nasctl::test;
using nasctl::spaces::nasbench201::NasBench201;

namespace {

std::string config(const std::string& space_keys, const std::string& rest) {
  return search_config("nasbench201", space_keys, 8, rest);
}

const std::string kMeasure = measure_objectives("max");

}  // namespace

TEST_CASE("a search with analytic and measure runs on nasbench201: each network counted as lowered and timed") {
  TempDir dir("nasbench201-cli");
  write_text(dir / "cfg.toml", config("classes = 100\n", kMeasure));
  const auto r = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"}, "", 300);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("evaluation budget reached after 8 evaluations") != std::string::npos);
  const CsvTable t = read_csv(dir / "run/evaluations.csv");
  REQUIRE(t.rows.size() == 8);
  const auto space = make_plugin<NasBench201>({{"classes", int64_t{100}}});
  check_searched_rows(t, *space);
}

TEST_CASE("lut build enumerates nasbench201's layers exactly, and the table prices searched networks at their MACs") {
  TempDir dir("nasbench201-cli");
  write_text(dir / "cfg.toml", config("", lut_objective()));
  const auto build = run_nasctl({"lut", "build", "-c", dir / "cfg.toml", "--hardware", "cost", "--metric", "macs", "-o",
                                 dir / "macs.csv", "--no-progress"},
                                "", 300);
  REQUIRE_MESSAGE(build.exit_code == 0, build.err);
  CHECK(build.out.find("(exact: enumerated by the space)") != std::string::npos);
  const auto space = make_plugin<NasBench201>();
  CHECK(build.out.find("lut build: " + std::to_string(space->distinct_layers().size()) + " distinct layer signatures") !=
        std::string::npos);
  const auto search = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
  REQUIRE_MESSAGE(search.exit_code == 0, search.err);
  const CsvTable t = read_csv(dir / "run/evaluations.csv");
  REQUIRE(t.rows.size() == 8);
  for (std::size_t row = 0; row < t.rows.size(); ++row)
    CHECK(t.number(row, t.column("table.latency_ms")) == t.number(row, t.column("cost.macs")));
}

TEST_CASE("nasbench201 config errors point at the key: unknown keys and input sizes the reductions cannot halve") {
  TempDir dir("nasbench201-cli");
  const std::string& objective = kMacsObjective;
  write_text(dir / "unknown.toml", config("cells = 4\n", objective));
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "unknown.toml"}), "unknown.toml:5:9: key 'space.cells'",
                   "unknown key for plugin 'nasbench201' (its keys: classes, input_size, channels, cells_per_stage, "
                   "input_channels)");
  write_text(dir / "size.toml", config("input_size = 30\n", objective));
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "size.toml"}), "size.toml:5:14: key 'space.input_size': is 30",
                   "fix: use 32 (CIFAR) or 16 (ImageNet16)");
  write_text(dir / "good.toml", config("classes = 120\ninput_size = 16\n", objective));
  const auto ok = run_nasctl({"validate", "-c", dir / "good.toml"});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
}
