// Reading architecture -> metric tables (no space needed) and indexing them
// by canonical architecture (space needed): merged files, averaged repeats,
// and file:line errors for every kind of bad table.
#include <doctest/doctest.h>

#include <string>

#include "nasctl/error.hpp"
#include "nasctl/predict/architecture_table.hpp"
#include "nasctl/predict/metric_table.hpp"
#include "nasctl/predict/table_config.hpp"
#include "test_support.hpp"
#include "tiny_space.hpp"

using namespace nasctl;
using namespace nasctl::predict;

namespace {

const char* kGood =
    "Sub-network,Top-1 Acc (%),MACs\n"
    "k0=3;k1=3;e=3;d=2,70.0,100\n"
    "k0=5;k1=3;e=3;d=2,72.0,150\n"
    "k0=3;k1=5;e=4;d=2,71.0,120\n"
    "k0=3;k1=3;e=3;d=1,68.0,60\n";

// Repeats: the d=1 row differs only in its unused k1 (same network); the
// quoted row is the same architecture as a row of kGood.
const char* kRepeats =
    "Sub-network,Top-1 Acc (%),MACs\n"
    "k0=3;k1=7;e=3;d=1,68.2,60\n"
    "\"k0=5;k1=3;e=3;d=2\",72.4,150\n";

TableColumns top1_and_macs() {
  TableColumns c;
  c.metrics = {{"top1", "Top-1 Acc (%)"}, {"macs", "MACs"}};
  return c;
}

}  // namespace

TEST_CASE("metric tables merge several files row by row and remember where each row came from") {
  test::ScratchDir dir;
  const std::string a = dir.write("a.csv", kGood), b = dir.write("b.csv", kRepeats);
  const MetricTable table = read_metric_table({a, b}, top1_and_macs());
  CHECK(table.metrics == std::vector<std::string>{"macs", "top1"});
  CHECK(table.columns == std::vector<std::string>{"MACs", "Top-1 Acc (%)"});
  REQUIRE(table.rows.size() == 6);
  CHECK(table.rows[4].architecture == "k0=3;k1=7;e=3;d=1");
  CHECK(table.rows[4].values == std::vector<double>{60.0, 68.2});
  CHECK(table.rows[5].where == b + ":3");
}

TEST_CASE("architecture tables average the rows of one canonical architecture across files") {
  test::ScratchDir dir;
  const test::TinySpace space;
  const MetricTable raw = read_metric_table({dir.write("a.csv", kGood), dir.write("b.csv", kRepeats)}, TableColumns{});
  const ArchitectureTable table(raw, space);
  CHECK(table.rows_read() == 6);
  CHECK(table.size() == 4);
  CHECK(table.duplicates() == 2);
  const auto* shallow = table.find("k0=3;k1=3;e=3;d=1");
  REQUIRE(shallow != nullptr);
  CHECK(shallow->values[0] == doctest::Approx(68.1));
  CHECK(shallow->rows == 2);
  const auto* wide = table.find("k0=5;k1=3;e=3;d=2");
  REQUIRE(wide != nullptr);
  CHECK(wide->values[0] == doctest::Approx(72.2));
  CHECK(table.find("k0=7;k1=7;e=6;d=2") == nullptr);
  CHECK(table.values(0) == std::vector<double>{70.0, wide->values[0], 71.0, shallow->values[0]});
}

TEST_CASE("a non-numeric metric cell is a DataError naming file:line, column and value") {
  test::ScratchDir dir;
  const std::string file =
      dir.write("bad.csv", "Sub-network,Top-1 Acc (%)\nk0=3;k1=3;e=3;d=2,70.0\nk0=5;k1=3;e=3;d=2,n/a\n");
  CHECK_THROWS_WITH_AS(read_metric_table({file}, TableColumns{}),
                       test::contains(file + ":3: column 'Top-1 Acc (%)': 'n/a' is not a finite number; fix:"),
                       DataError);
}

TEST_CASE("a missing column is a DataError listing the columns the file has") {
  test::ScratchDir dir;
  const std::string file = dir.write("cols.csv", "arch,acc\nk0=3;k1=3;e=3;d=2,70.0\n");
  CHECK_THROWS_WITH_AS(read_metric_table({file}, TableColumns{}),
                       test::contains(file + ":1: no column 'Sub-network'; columns are 'arch', 'acc'; fix:"),
                       DataError);
}

TEST_CASE("malformed quoting is a DataError naming file:line") {
  test::ScratchDir dir;
  const std::string file =
      dir.write("quote.csv", "Sub-network,Top-1 Acc (%)\nk0=3;k1=3;e=3;d=2,70.0\nk0=\"5\"x;k1=3,71.0\n");
  CHECK_THROWS_WITH_AS(read_metric_table({file}, TableColumns{}), test::contains(file + ":3: malformed CSV"),
                       DataError);
}

TEST_CASE("a header-only table is a DataError") {
  test::ScratchDir dir;
  const std::string file = dir.write("empty.csv", "Sub-network,Top-1 Acc (%)\n");
  CHECK_THROWS_WITH_AS(read_metric_table({file}, TableColumns{}), test::contains("no data rows"), DataError);
}

TEST_CASE("a run's failed evaluations (empty metric, an error given) are left out and counted") {
  test::ScratchDir dir;
  TableColumns latency;
  latency.architecture = "arch";
  latency.metrics = {{"latency_ms", "cpu.latency_ms"}};
  const std::string file = dir.write("evaluations.csv",
                                     "index,arch,cpu.latency_ms,feasible,error\n"
                                     "0,k0=3;k1=3;e=3;d=2,7.5,true,\n"
                                     "1,k0=5;k1=3;e=3;d=2,,false,measure: LibTorch failed: out of memory\n"
                                     "2,k0=3;k1=5;e=4;d=2,8.25,true,\n"
                                     "3,k0=3;k1=3;e=3;d=1,,false,timeout\n");
  const MetricTable table = read_metric_table({file}, latency);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[1].values == std::vector<double>{8.25});
  CHECK(table.failed_rows == 2);
  CHECK(table.first_failed == file + ":3");

  // Without the error that says why, an empty cell is bad data, not a failure.
  const std::string unexplained = dir.write("unexplained.csv",
                                            "index,arch,cpu.latency_ms,feasible,error\n"
                                            "0,k0=3;k1=3;e=3;d=2,,true,\n");
  CHECK_THROWS_WITH_AS(read_metric_table({unexplained}, latency), test::contains(unexplained + ":2: column"),
                       DataError);
  const std::string all_failed = dir.write("failed.csv",
                                           "index,arch,cpu.latency_ms,feasible,error\n"
                                           "0,k0=3;k1=3;e=3;d=2,,false,timeout\n");
  CHECK_THROWS_WITH_AS(read_metric_table({all_failed}, latency),
                       test::contains("all 1 rows are failed evaluations (first: " + all_failed + ":2)"), DataError);
}

TEST_CASE("an architecture the space cannot parse is a DataError naming file:line and the parse error") {
  test::ScratchDir dir;
  const test::TinySpace space;
  const std::string file =
      dir.write("arch.csv", "Sub-network,Top-1 Acc (%)\nk0=3;k1=3;e=3;d=2,70.0\nk0=9;k1=3;e=3;d=2,71.0\n");
  const MetricTable raw = read_metric_table({file}, TableColumns{});
  CHECK_THROWS_WITH_AS(ArchitectureTable(raw, space),
                       test::contains(file + ":3: column 'Sub-network': cannot parse the architecture: "
                                             "architecture 'k0=9;k1=3;e=3;d=2': variable 'k0' has no choice '9'"),
                       DataError);
}

TEST_CASE("units come from the last parentheses of a column name") {
  CHECK(unit_of_column("Top-1 Acc (%)") == "%");
  CHECK(unit_of_column("Latency (ms)") == "ms");
  CHECK(unit_of_column("MACs") == "");
  CHECK(unit_of_column("(x) total") == "");
}

TEST_CASE("table config keys default to DyNAS-T's columns and reject empty files or columns by key") {
  const auto keys = table_config_keys();
  const PluginConfig defaults = test::make_config(keys, {{"files", std::vector<std::string>{"t.csv"}}}, "/data");
  const TableColumns columns = table_columns(defaults);
  CHECK(columns.architecture == "Sub-network");
  CHECK(columns.metrics == std::map<std::string, std::string>{{"top1", "Top-1 Acc (%)"}});
  CHECK(table_files(defaults) == std::vector<std::string>{"/data/t.csv"});

  const PluginConfig no_files = test::make_config(keys, {{"files", std::vector<std::string>{}}});
  CHECK_THROWS_WITH_AS(table_files(no_files), test::contains("key 'accuracy[0].files': is empty; fix:"), ConfigError);
  const PluginConfig no_columns = test::make_config(keys, {{"columns", StringTable{}}});
  CHECK_THROWS_WITH_AS(table_columns(no_columns), test::contains("key 'accuracy[0].columns': is empty; fix:"),
                       ConfigError);
  const PluginConfig bad_name = test::make_config(keys, {{"columns", StringTable{{"top-1", "Top-1 Acc (%)"}}}});
  CHECK_THROWS_WITH_AS(table_columns(bad_name), test::contains("metric name 'top-1' is not an identifier"),
                       ConfigError);
}
