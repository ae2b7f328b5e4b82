// The correctness check against real data: every sub-network DyNAS-T
// measured on ImageNet (five CSV files shipped in data/) must lower to a
// network whose parameter and MAC counts equal the table's exactly.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "nasctl/csv.hpp"
#include "nasctl/network_spec.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"

using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

const std::vector<std::string> kTables = {
    "mbnv3w10_evoga_acc.csv", "mbnv3w10_evonsga2_acc_macs.csv", "mbnv3w10_evounsga3_acc_macs_params.csv",
    "mbnv3w10_linasga_acc.csv", "mbnv3w10_linasnsga2_acc_macs.csv"};

}  // namespace

TEST_CASE("every DyNAS-T OFA MobileNetV3 row lowers to exactly its measured params and MACs") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  std::set<std::string> distinct;      // canonical forms: distinct networks
  std::set<std::string> distinct_raw;  // DyNAS-T strings as written
  std::size_t rows = 0;
  std::size_t mismatches = 0;
  for (const std::string& name : kTables) {
    const nasctl::CsvTable table = nasctl::read_csv(std::string(NASCTL_SOURCE_DIR) + "/data/ofa_mbv3_w10_imagenet/" + name);
    const std::size_t arch_col = table.column("Sub-network");
    const std::size_t params_col = table.column("Model Parameters");
    const std::size_t macs_col = table.column("MACs");
    REQUIRE(table.rows.size() > 300);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const nasctl::Architecture arch = space->parse(table.rows[i][arch_col]);
      const nasctl::NetworkCost cost = nasctl::count_cost(space->lower(arch));
      const auto params = static_cast<int64_t>(table.number(i, params_col));
      const auto macs = static_cast<int64_t>(table.number(i, macs_col));
      ++rows;
      distinct.insert(space->to_string(arch));
      distinct_raw.insert(table.rows[i][arch_col]);
      if (cost.params == params && cost.macs == macs) continue;
      // Report the first few in full; the count below fails the test.
      if (++mismatches <= 5)
        MESSAGE(table.where(i) << ": params " << cost.params << " vs " << params << ", MACs " << cost.macs << " vs "
                               << macs);
    }
  }
  CHECK(rows == 2373);
  CHECK(mismatches == 0);
  // The data README's 2,223 counts distinct DyNAS-T strings; 61 of them differ
  // only in the ks/e of unused slots, so there are 2,162 distinct networks
  // (checked independently with Python's ast on the same files).
  CHECK(distinct_raw.size() == 2223);
  CHECK(distinct.size() == 2162);
}

TEST_CASE("the DyNAS-T dict form written back for a table row parses to the same architecture") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  const nasctl::CsvTable table =
      nasctl::read_csv(std::string(NASCTL_SOURCE_DIR) + "/data/ofa_mbv3_w10_imagenet/mbnv3w10_evoga_acc.csv");
  const std::size_t arch_col = table.column("Sub-network");
  for (std::size_t i = 0; i < 50; ++i) {
    const nasctl::Architecture arch = space->parse(table.rows[i][arch_col]);
    CHECK(space->parse(space->to_dynast(arch)) == arch);
  }
}
