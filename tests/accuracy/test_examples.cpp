// The shipped examples stay runnable. Every config in examples/ passes
// `nasctl validate` (which builds its plugins and opens its data) on a
// machine with Debian's Fashion-MNIST, except the ImageNet one, whose data
// nobody has by default: it is held to the one error line naming its
// dataset. And the committed Fashion-MNIST super-network
// (examples/fashion-supernet/checkpoint.pt) is a trained one: through
// `nasctl evaluate` its largest and smallest sub-networks score far above
// chance (10 %).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "accuracy_support.hpp"
#include "cli_runner.hpp"
#include "nasctl/csv.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

const fs::path kExamples = NASCTL_EXAMPLES_DIR;

std::vector<fs::path> example_configs() {
  std::vector<fs::path> configs;
  // examples/spaces/ holds declarative space files, not run configs: a run
  // config loads them (examples/declarative-search.toml), and test_declarative
  // checks each of them.
  for (const auto& entry : fs::recursive_directory_iterator(kExamples))
    if (entry.is_regular_file() && entry.path().extension() == ".toml" &&
        entry.path().parent_path().filename() != "spaces")
      configs.push_back(entry.path());
  std::sort(configs.begin(), configs.end());
  return configs;
}

}  // namespace

TEST_CASE("every example config validates, and the ImageNet one names the dataset it lacks") {
  const std::vector<fs::path> configs = example_configs();
  REQUIRE(configs.size() >= 6);
  for (const fs::path& config : configs) {
    INFO(config.string());
    const CliResult r = run_nasctl({"validate", "-c", config.string()}, "", 120);
    INFO(r.err);
    if (config.filename() == "ofa-supernet-imagenet.toml" && !fs::exists("/data/imagenet/val")) {
      CHECK_USER_ERROR(r, "accuracy.dataset", "/data/imagenet/val", "fix:");
    } else {
      CHECK(r.exit_code == 0);
      CHECK(r.out.find(": valid (") != std::string::npos);
    }
  }
}

TEST_CASE("the committed Fashion-MNIST super-network scores its largest and smallest sub-networks far above chance") {
  ScratchFolder scratch("example-fashion");
  const std::string csv = (scratch / "scores.csv").string();
  const std::string largest = "ks=7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7;e=6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6;"
                              "d=4,4,4,4,4;r=28";
  const std::string smallest = "ks=3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-;e=3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-;"
                               "d=2,2,2,2,2;r=28";
  // Fewer images than the example scores on: enough to tell trained weights
  // (about 85-90 %) from untrained ones (about 10 %) with a wide margin.
  const CliResult r = run_nasctl({"evaluate", "-c", (kExamples / "fashion-supernet" / "search.toml").string(), "--set",
                                  "accuracy.validation_images=500", "--set", "accuracy.calibration_images=200",
                                  "--set", "hardware.cpu.max_seconds=0.1", "-o", csv, largest, smallest},
                                 "", 300);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const nasctl::CsvTable table = nasctl::read_csv(csv);
  REQUIRE(table.rows.size() == 2);
  const std::size_t top1 = table.column("accuracy.top1");
  for (std::size_t row = 0; row < 2; ++row) {
    INFO(table.where(row));
    CHECK(table.number(row, top1) > 75.0);
  }
}
