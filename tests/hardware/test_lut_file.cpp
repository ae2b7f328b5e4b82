// Reading LUT files: every malformed input is a one-line DataError naming
// file:line (counting comment lines) and the fix; good files read back what
// was written.
#include <doctest/doctest.h>

#include "lut_support.hpp"
#include "nasctl/error.hpp"
#include "nasctl/lut/layer_class.hpp"

using namespace nasctl;
using namespace nasctl::test;

namespace {

const std::string kConv = "conv2d|16x112x112|16x112x112|k1|s1|p0|g1|bn";
const std::string kAdd = "add|16x112x112|16x112x112|n2";

// The DataError read_lut throws for `text`, or "" when it reads.
std::string load_error(const TempDir& dir, const std::string& text) {
  write_text(dir / "lut.csv", text);
  try {
    lut::read_lut(dir / "lut.csv");
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

void check_error(const std::string& message, const std::vector<std::string>& parts) {
  INFO("message: " << message);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.find("; fix: ") != std::string::npos);
  for (const auto& p : parts) CHECK_MESSAGE(message.find(p) != std::string::npos, "missing: " << p);
}

}  // namespace

TEST_CASE("a valid table reads its entries, energy, failed rows and calibration") {
  TempDir dir("lut-file");
  write_text(dir / "lut.csv", std::string(lut::kFormatLine) + "\n# hardware: cpu (plugin measure 1.0.0), metric latency_ms\n"
                              "# calibration: scale=0.9 overhead_ms=1.25 (nasctl lut check: n=50)\n"
                              "key,latency_ms,energy_mj,status,error\n" +
                              kConv + ",0.5,1.5,ok,\n" + kAdd + ",,,failed,\"out of memory, twice\"\n");
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  REQUIRE(f.entries.size() == 2);
  CHECK(f.has_energy);
  CHECK(f.entries[0].key == kConv);
  CHECK(f.entries[0].latency_ms == 0.5);
  CHECK(f.entries[0].energy_mj == 1.5);
  CHECK(f.entries[0].line == 5);
  CHECK(f.entries[1].status == lut::EntryStatus::Failed);
  CHECK(f.entries[1].error == "out of memory, twice");
  REQUIRE(f.calibration);
  CHECK(f.calibration->scale == 0.9);
  CHECK(f.calibration->overhead_ms == 1.25);
  CHECK(f.calibration_line == 3);
  CHECK(f.comment_value("hardware") == "cpu (plugin measure 1.0.0), metric latency_ms");
}

TEST_CASE("rows written by lut_row read back with the same keys and values") {
  TempDir dir("lut-file");
  NetworkBuilder b("n", {16, 56, 56});
  b.conv(24, 3, 2, 1, true, ActivationKind::HardSwish);
  b.squeeze_excite(8);
  b.global_avg_pool();
  b.linear(10, true);
  const NetworkSpec spec = std::move(b).finish();
  write_table(dir / "lut.csv", spec.layers, [](const Layer&) { return 0.125; }, true);
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  REQUIRE(f.entries.size() == spec.layers.size());
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    CHECK(f.entries[i].key == spec.layers[i].key());
    CHECK(f.entries[i].latency_ms == 0.125);
    CHECK(f.entries[i].energy_mj == 0.25);
  }
}

TEST_CASE("a missing required column is an error naming the header line") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "# nasctl-lut 1\n# space: x\nkey,latency_ms\n" + kConv + ",0.5\n"),
              {"lut.csv:3:", "missing column 'status'"});
}

TEST_CASE("an unknown column is an error: a typo never silently drops data") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "key,latency,status\n" + kConv + ",0.5,ok\n"),
              {"lut.csv:1:", "unknown column 'latency'", "latency_ms"});
}

TEST_CASE("a negative latency is an error naming file:line") {
  TempDir dir("lut-file");
  check_error(load_error(dir, kLutHeader + kConv + ",conv2d,,,,,,,,0.5,ok,\n" + kAdd + ",add,,,,,,,,-1,ok,\n"),
              {"lut.csv:3:", "latency_ms", "-1 is negative"});
}

TEST_CASE("a non-numeric latency is an error naming file:line") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "# nasctl-lut 1\n" + kLutHeader + kConv + ",conv2d,,,,,,,,fast,ok,\n"),
              {"lut.csv:3:", "'fast' is not a finite number"});
}

TEST_CASE("an ok row without a latency is an error") {
  TempDir dir("lut-file");
  check_error(load_error(dir, kLutHeader + kConv + ",conv2d,,,,,,,,,ok,\n"), {"lut.csv:2:", "latency_ms"});
}

TEST_CASE("a negative energy is an error") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "key,latency_ms,energy_mj,status\n" + kConv + ",0.5,-2,ok\n"),
              {"lut.csv:2:", "energy_mj", "negative"});
}

TEST_CASE("a duplicate key is an error naming both lines") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "key,latency_ms,status\n" + kConv + ",0.5,ok\n" + kAdd + ",0.1,ok\n" + kConv + ",0.6,ok\n"),
              {"lut.csv:4:", "already appears on line 2", "one row per layer signature"});
}

TEST_CASE("failed is an explicit state: a failed row with a number is an error, and so is an unknown status") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "key,latency_ms,status\n" + kConv + ",-1,failed\n"),
              {"lut.csv:2:", "status 'failed' with latency_ms '-1'"});
  check_error(load_error(dir, "key,latency_ms,status\n" + kConv + ",0.5,maybe\n"),
              {"lut.csv:2:", "'maybe'", "ok or failed"});
}

TEST_CASE("an empty key, a ragged row and an empty file are errors") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "key,latency_ms,status\n,0.5,ok\n"), {"lut.csv:2:", "empty key"});
  check_error(load_error(dir, "key,latency_ms,status\n" + kConv + ",0.5\n"), {"lut.csv:2:", "2 fields"});
  check_error(load_error(dir, "# nasctl-lut 1\n"), {"lut.csv", "no header row"});
}

TEST_CASE("a malformed calibration line is an error naming its line") {
  TempDir dir("lut-file");
  check_error(load_error(dir, "# nasctl-lut 1\n# calibration: scale=abc overhead_ms=1\nkey,latency_ms,status\n"),
              {"lut.csv:2:", "scale 'abc'"});
  check_error(load_error(dir, "# calibration: scale=-1 overhead_ms=1\nkey,latency_ms,status\n"),
              {"lut.csv:1:", "not positive"});
  check_error(load_error(dir, "# calibration: scale=1\nkey,latency_ms,status\n"), {"lut.csv:1:", "no overhead_ms"});
  check_error(load_error(dir, "# calibration: scale=1 overhead_ms=0 class.pointwise+swish=1\nkey,latency_ms,status\n"),
              {"lut.csv:1:", "unknown layer class 'pointwise+swish'"});
  check_error(load_error(dir, "# calibration: scale=1 overhead_ms=0 class.se=inf\nkey,latency_ms,status\n"),
              {"lut.csv:1:", "class.se 'inf' is not a finite number"});
  check_error(load_error(dir, "# calibration: scale=1 overhead_ms=0 class.se=1 class.se=2\nkey,latency_ms,status\n"),
              {"lut.csv:1:", "class.se given twice"});
}

TEST_CASE("a calibration with a per-layer term and class scales is written and read back exactly") {
  TempDir dir("lut-file");
  write_text(dir / "lut.csv", "# nasctl-lut 1\nkey,latency_ms,status\n" + kConv + ",0.5,ok\n");
  lut::Calibration c{0.8125, 0.3, -0.0125, {}};
  c.class_scales[*lut::layer_class_from_name("depthwise+relu")] = 1.1;
  c.class_scales[*lut::layer_class_from_name("se")] = -0.7;
  lut::write_calibration(dir / "lut.csv", c, "fitted");
  CHECK(read_text(dir / "lut.csv").find("# calibration: scale=0.8125 overhead_ms=0.3 per_layer_ms=-0.0125 "
                                        "class.depthwise+relu=1.1 class.se=-0.7 (fitted)") != std::string::npos);
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  REQUIRE(f.calibration);
  CHECK(f.calibration->per_layer_ms == -0.0125);
  CHECK(f.calibration->class_scales == c.class_scales);
}

TEST_CASE("a missing file names the path and how to build it") {
  TempDir dir("lut-file");
  try {
    lut::read_lut(dir / "absent.csv");
    FAIL("read_lut accepted a missing file");
  } catch (const DataError& e) {
    check_error(e.what(), {"absent.csv", "nasctl lut build"});
  }
}

TEST_CASE("write_calibration adds, then replaces, the calibration line and keeps every row") {
  TempDir dir("lut-file");
  const std::string body = "key,latency_ms,status\n" + kConv + ",0.5,ok\n";
  write_text(dir / "lut.csv", "# nasctl-lut 1\n# space: x\n" + body);
  lut::write_calibration(dir / "lut.csv", {1.5, 0.25}, "first");
  CHECK(read_text(dir / "lut.csv") == "# nasctl-lut 1\n# space: x\n# calibration: scale=1.5 overhead_ms=0.25 (first)\n" + body);
  lut::write_calibration(dir / "lut.csv", {0.75, -0.5}, "second");
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  REQUIRE(f.calibration);
  CHECK(f.calibration->scale == 0.75);
  CHECK(f.calibration->overhead_ms == -0.5);
  CHECK(f.entries.size() == 1);
  CHECK(read_text(dir / "lut.csv").find("first") == std::string::npos);
}
