// The "table" accuracy source: looks candidates up by canonical architecture,
// averages repeats, reports absent architectures as the config says, checks
// its files at construction and indexes them once, even under concurrency.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "../../plugins/accuracy/table/table_source.hpp"
#include "nasctl/error.hpp"
#include "test_support.hpp"
#include "tiny_space.hpp"

using namespace nasctl;
using nasctl::accuracy::table::TableSource;

namespace {

const char* kTable =
    "Sub-network,Date,Top-1 Acc (%),MACs\n"
    "k0=3;k1=3;e=3;d=2,2022-11-01,70.0,100\n"
    "k0=5;k1=3;e=3;d=2,2022-11-01,72.0,150\n"
    "k0=3;k1=7;e=3;d=1,2022-11-01,68.0,60\n";

const char* kRepeat =
    "Sub-network,Date,Top-1 Acc (%),MACs\n"
    "k0=5;k1=3;e=3;d=2,2022-11-02,72.5,150\n";

struct Fixture {
  test::ScratchDir dir;
  test::TinySpace space;
  std::string table = dir.write("table.csv", kTable);
  std::string repeat = dir.write("repeat.csv", kRepeat);

  PluginConfig config(std::map<std::string, ConfigValue> given) const {
    if (!given.count("files")) given["files"] = std::vector<std::string>{"table.csv", "repeat.csv"};
    return test::make_config(TableSource::config_keys(), given, dir.path());
  }
  Metrics evaluate(TableSource& source, const Architecture& arch) const {
    const test::CandidateHolder c(space, arch);
    return source.evaluate(c.candidate);
  }
};

}  // namespace

TEST_CASE("table source declares the default metric top1 in percent") {
  Fixture f;
  const PluginConfig config = f.config({});
  const TableSource source(PluginContext{config, "acc"});
  const auto metrics = source.metrics();
  REQUIRE(metrics.size() == 1);
  CHECK(metrics[0].name == "top1");
  CHECK(metrics[0].unit == "%");
}

TEST_CASE("table source returns the table's values, averaged over repeated rows, for any form of an architecture") {
  Fixture f;
  const PluginConfig config = f.config({{"columns", StringTable{{"top1", "Top-1 Acc (%)"}, {"macs", "MACs"}}}});
  TableSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  const Metrics first = f.evaluate(source, {0, 0, 0, 1});
  CHECK(first.at("top1") == doctest::Approx(70.0));
  CHECK(first.at("macs") == doctest::Approx(100.0));
  CHECK(f.evaluate(source, {1, 0, 0, 1}).at("top1") == doctest::Approx(72.25));  // in both files
  // Written with k1=7 but d=1: the same network as k1=3, looked up canonically.
  CHECK(f.evaluate(source, {0, 2, 0, 0}).at("top1") == doctest::Approx(68.0));
  CHECK(f.evaluate(source, {0, 0, 0, 0}).at("top1") == doctest::Approx(68.0));
  const Conditions conditions = source.conditions();
  CHECK(conditions.at("architectures") == "3");
  CHECK(conditions.at("repeated_rows_averaged") == "1");
  CHECK(conditions.at("rows") == "4");
}

TEST_CASE("an architecture absent from the table is an EvaluationError naming it and the fix") {
  Fixture f;
  const PluginConfig config = f.config({});
  TableSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  CHECK_THROWS_WITH_AS(f.evaluate(source, {2, 2, 2, 1}),
                       test::contains("table 'acc': architecture k0=7;k1=7;e=6;d=2 is not in table files " + f.table +
                                      ", " + f.repeat + "; fix: set missing = \"nan\" or use the predictor source"),
                       EvaluationError);
}

TEST_CASE("with missing = nan an absent architecture gets NaN for every metric") {
  Fixture f;
  const PluginConfig config = f.config(
      {{"missing", std::string("nan")}, {"columns", StringTable{{"top1", "Top-1 Acc (%)"}, {"macs", "MACs"}}}});
  TableSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  const Metrics m = f.evaluate(source, {2, 2, 2, 1});
  REQUIRE(m.size() == 2);
  CHECK(std::isnan(m.at("top1")));
  CHECK(std::isnan(m.at("macs")));
}

TEST_CASE("table source checks its files when constructed: bad cells, missing columns, no files") {
  Fixture f;
  f.dir.write("cells.csv", "Sub-network,Top-1 Acc (%)\nk0=3;k1=3;e=3;d=2,70.0\nk0=5;k1=3;e=3;d=2,\n");
  const PluginConfig cells = f.config({{"files", std::vector<std::string>{"cells.csv"}}});
  CHECK_THROWS_WITH_AS(TableSource(PluginContext{cells, "acc"}),
                       test::contains("cells.csv:3: column 'Top-1 Acc (%)': '' is not a finite number"), DataError);
  const PluginConfig columns = f.config({{"columns", StringTable{{"top5", "Top-5 Acc (%)"}}}});
  CHECK_THROWS_WITH_AS(TableSource(PluginContext{columns, "acc"}),
                       test::contains("table.csv:1: no column 'Top-5 Acc (%)'; columns are 'Sub-network', 'Date', "
                                      "'Top-1 Acc (%)', 'MACs'"),
                       DataError);
  const PluginConfig none = f.config({{"files", std::vector<std::string>{}}});
  CHECK_THROWS_AS(TableSource(PluginContext{none, "acc"}), ConfigError);
}

TEST_CASE("an unparsable architecture fails prepare with file:line, and nothing is evaluated after it") {
  Fixture f;
  f.dir.write("arch.csv", "Sub-network,Top-1 Acc (%)\nk0=3;k1=3;e=3;d=2,70.0\nk0=3;k1=3;e=5;d=2,71.0\n");
  const PluginConfig config = f.config({{"files", std::vector<std::string>{"arch.csv"}}});
  TableSource source(PluginContext{config, "acc"});
  CHECK_THROWS_WITH_AS(source.prepare(f.space),
                       test::contains("arch.csv:3: column 'Sub-network': cannot parse the architecture"), DataError);
  CHECK_THROWS_WITH_AS(f.evaluate(source, {0, 0, 0, 1}), test::contains("before prepare(space)"), EvaluationError);
}

TEST_CASE("table source, once prepared, answers correctly when many threads evaluate at once") {
  Fixture f;
  const PluginConfig config = f.config({});
  TableSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  std::vector<double> got(16, 0.0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      got[t] = f.evaluate(source, t % 2 ? Architecture{1, 0, 0, 1} : Architecture{0, 0, 0, 1}).at("top1");
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t t = 0; t < got.size(); ++t) CHECK(got[t] == doctest::Approx(t % 2 ? 72.25 : 70.0));
}

TEST_CASE("table source refuses a second search space after indexing for the first") {
  Fixture f;
  const PluginConfig config = f.config({});
  TableSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  f.evaluate(source, {0, 0, 0, 1});
  const test::TinySpace other;
  const test::CandidateHolder c(other, {0, 0, 0, 1});
  CHECK_THROWS_WITH_AS(source.evaluate(c.candidate), test::contains("different search space"), EvaluationError);
}
