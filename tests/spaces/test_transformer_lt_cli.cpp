// nasctl end to end on transformer-lt: a search with the analytic and
// measure hardware models (short sequences and a small vocabulary keep the
// timing quick), `lut build` enumerating its layers exactly, config errors
// in one line.
#include <doctest/doctest.h>

#include <string>

#include "cli_runner.hpp"
#include "cuda_agreement.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/network_spec.hpp"
#include "plugin_config.hpp"
#include "search_config.hpp"
#include "searched_rows.hpp"
#include "temp_dir.hpp"
#include "transformer_lt.hpp"

using namespace nasctl;
using namespace nasctl::test;
using nasctl::spaces::transformer_lt::TransformerLT;

namespace {

const std::string kSpaceKeys = "source_length = 6\ntarget_length = 5\nvocabulary = 64\n";

std::string config(const std::string& space_keys, const std::string& rest) {
  return search_config("transformer-lt", space_keys, 4, rest);
}

void check_search(const std::string& device) {
  TempDir dir("transformer-lt-cli");
  const CsvTable t = searched_table(dir, config(kSpaceKeys, measure_objectives("min", device)), 4);
  const auto space = make_plugin<TransformerLT>(
      {{"source_length", int64_t{6}}, {"target_length", int64_t{5}}, {"vocabulary", int64_t{64}}});
  check_searched_rows(t, *space, measure_name(device));
}

}  // namespace

TEST_CASE("a search with analytic and measure runs on transformer-lt: each network counted as lowered and timed") {
  check_search("cpu");
}

TEST_CASE("measure times transformer-lt on CUDA in a search (skipped without a GPU)") {
  if (!cuda_usable()) return;
  check_search("cuda");
}

TEST_CASE("lut build enumerates transformer-lt's layers exactly, and the table prices networks at their MACs") {
  TempDir dir("transformer-lt-cli");
  write_text(dir / "cfg.toml", config(kSpaceKeys, lut_objective()));
  const auto build = run_nasctl({"lut", "build", "-c", dir / "cfg.toml", "--hardware", "cost", "--metric", "macs", "-o",
                                 dir / "macs.csv", "--no-progress"},
                                "", 300);
  REQUIRE_MESSAGE(build.exit_code == 0, build.err);
  CHECK(build.out.find("(exact: enumerated by the space)") != std::string::npos);
  const auto space = make_plugin<TransformerLT>(
      {{"source_length", int64_t{6}}, {"target_length", int64_t{5}}, {"vocabulary", int64_t{64}}});
  CHECK(build.out.find("lut build: " + std::to_string(space->distinct_layers().size()) + " distinct layer signatures") !=
        std::string::npos);
  const auto search = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
  REQUIRE_MESSAGE(search.exit_code == 0, search.err);
  const CsvTable t = read_csv(dir / "run/evaluations.csv");
  REQUIRE(t.rows.size() == 4);
  for (std::size_t row = 0; row < t.rows.size(); ++row)
    CHECK(t.number(row, t.column("table.latency_ms")) == t.number(row, t.column("cost.macs")));
}

TEST_CASE("transformer-lt config errors point at the key") {
  TempDir dir("transformer-lt-cli");
  const std::string& objective = kMacsObjective;
  write_text(dir / "unknown.toml", config("heads = 4\n", objective));
  CHECK_USER_ERROR(run_nasctl({"validate", "-c", dir / "unknown.toml"}), "unknown.toml:5:9: key 'space.heads'",
                   "unknown key for plugin 'transformer-lt' (its keys: source_length, target_length, vocabulary)");
  write_text(dir / "zero.toml", config("vocabulary = 0\n", objective));
  const auto zero = run_nasctl({"validate", "-c", dir / "zero.toml"});
  CHECK(zero.exit_code != 0);
  CHECK(zero.err.find("space.vocabulary") != std::string::npos);
  write_text(dir / "good.toml", config(kSpaceKeys, objective));
  const auto ok = run_nasctl({"validate", "-c", dir / "good.toml"});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
}
