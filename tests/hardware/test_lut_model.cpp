// The lut plugin: metrics, calibration, and the explicit behaviour for
// layers without a usable entry (error listing them, NaN, or a fallback table).
#include <doctest/doctest.h>

#include <cmath>

#include "lut_support.hpp"
#include "nasctl/error.hpp"

using namespace nasctl;
using namespace nasctl::test;

namespace {

// Five layers with five distinct keys.
NetworkSpec five_layers() {
  NetworkBuilder b("five", {16, 28, 28});
  b.conv(32, 1, 1, 1, true, ActivationKind::ReLU);
  b.depthwise(3, 1, true, ActivationKind::ReLU);
  b.squeeze_excite(8);
  b.conv(16, 1, 1, 1, true, ActivationKind::None);
  b.add(kNetworkInput, b.current());
  return std::move(b).finish();
}

std::vector<Layer> first(const NetworkSpec& spec, std::size_t n) {
  return {spec.layers.begin(), spec.layers.begin() + static_cast<std::ptrdiff_t>(n)};
}

std::string evaluation_error(hardware::lut::LutModel& model, const NetworkSpec& spec) {
  try {
    model.evaluate(spec);
  } catch (const EvaluationError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("latency is scale * (sum of the layers' entries) + overhead, calibration from the table's line") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", spec.layers, [](const Layer& l) { return l.op == OpKind::Add ? 0.5 : 0.25; }, false,
              "# calibration: scale=2 overhead_ms=1.5\n");
  auto model = lut_model(dir / "lut.csv");
  CHECK(model->evaluate(spec).at("latency_ms") == doctest::Approx(2 * (4 * 0.25 + 0.5) + 1.5));
  CHECK(model->conditions().at("calibration") == dir / "lut.csv" + ":2");
  REQUIRE(model->metrics().size() == 1);
  CHECK(model->metrics()[0].name == "latency_ms");
}

TEST_CASE("a per-class calibration line prices each class with its own scale, the rest with scale, plus per layer") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", spec.layers, [](const Layer& l) { return l.op == OpKind::Add ? 0.5 : 0.25; }, false,
              "# calibration: scale=2 overhead_ms=1.5 per_layer_ms=0.1 class.add=4\n");
  auto model = lut_model(dir / "lut.csv");
  CHECK(model->evaluate(spec).at("latency_ms") == doctest::Approx(1.5 + 0.1 * 5 + 2 * (4 * 0.25) + 4 * 0.5));
  // One config key replaces the whole per-class calibration by a plain one.
  auto overridden = lut_model(dir / "lut.csv", {{"overhead_ms", 0.25}});
  CHECK(overridden->evaluate(spec).at("latency_ms") == doctest::Approx(1.0 * (4 * 0.25 + 0.5) + 0.25));
}

TEST_CASE("a calibration that prices a network at zero or less fails the candidate instead of letting it win") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", spec.layers, [](const Layer&) { return 0.25; }, false,
              "# calibration: scale=1 overhead_ms=0 class.add=-20\n");
  auto model = lut_model(dir / "lut.csv");
  CHECK_THROWS_WITH_AS(model->evaluate(spec), doctest::Contains("unlike those the calibration was fitted on; fix:"),
                       EvaluationError);
}

TEST_CASE("config scale and overhead_ms override the table's calibration") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", spec.layers, [](const Layer&) { return 0.2; }, false,
              "# calibration: scale=2 overhead_ms=1.5\n");
  auto model = lut_model(dir / "lut.csv", {{"scale", 0.5}, {"overhead_ms", 0.25}});
  CHECK(model->evaluate(spec).at("latency_ms") == doctest::Approx(0.5 * 1.0 + 0.25));
  CHECK(model->conditions().at("calibration") == "config");
  auto uncalibrated_file = lut_model(dir / "lut.csv", {{"overhead_ms", 0.0}});
  CHECK(uncalibrated_file->evaluate(spec).at("latency_ms") == doctest::Approx(2 * 1.0));
}

TEST_CASE("a non-positive scale is a config error naming the key") {
  TempDir dir("lut-model");
  write_table(dir / "lut.csv", five_layers().layers);
  try {
    lut_model(dir / "lut.csv", {{"scale", 0.0}});
    FAIL("scale 0 accepted");
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    CHECK(what.find("scale") != std::string::npos);
    CHECK(what.find("fix:") != std::string::npos);
  }
}

TEST_CASE("energy_mj is given when the table has energy, as the plain sum") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", spec.layers, [](const Layer&) { return 0.25; }, true, "# calibration: scale=3 overhead_ms=1\n");
  auto model = lut_model(dir / "lut.csv");
  REQUIRE(model->metrics().size() == 2);
  CHECK(model->metrics()[1].name == "energy_mj");
  const Metrics m = model->evaluate(spec);
  CHECK(m.at("energy_mj") == doctest::Approx(5 * 0.5));
  CHECK(m.at("latency_ms") == doctest::Approx(3 * 1.25 + 1));
}

TEST_CASE("missing entries are an evaluation error listing the first signatures and the count") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", first(spec, 1));
  auto model = lut_model(dir / "lut.csv");
  const std::string what = evaluation_error(*model, spec);
  INFO(what);
  CHECK(what.find('\n') == std::string::npos);
  CHECK(what.find("4 layer signatures without an entry") != std::string::npos);
  for (std::size_t i = 1; i <= 3; ++i) CHECK(what.find("'" + spec.layers[i].key() + "'") != std::string::npos);
  CHECK(what.find(spec.layers[4].key()) == std::string::npos);
  CHECK(what.find("and 1 more") != std::string::npos);
  CHECK(what.find("fix: run `nasctl lut build`") != std::string::npos);
  // The error is remembered as such: asking again gives the same answer.
  CHECK(evaluation_error(*model, spec) == what);
}

TEST_CASE("a failed entry used by a network is an evaluation error naming file:line and its error") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", first(spec, 4));
  std::string text = read_text(dir / "lut.csv");
  text += spec.layers[4].key() + ",add,,,,,,,,,failed,CUDA out of memory\n";
  write_text(dir / "lut.csv", text);
  auto model = lut_model(dir / "lut.csv");
  const std::string what = evaluation_error(*model, spec);
  INFO(what);
  CHECK(what.find("1 whose measurement failed") != std::string::npos);
  CHECK(what.find(dir / "lut.csv" + ":7 '" + spec.layers[4].key() + "' (CUDA out of memory)") != std::string::npos);
}

TEST_CASE("missing = nan prices an incomplete network NaN instead of failing it") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "lut.csv", first(spec, 2));
  auto model = lut_model(dir / "lut.csv", {{"missing", std::string("nan")}});
  CHECK(std::isnan(model->evaluate(spec).at("latency_ms")));
  NetworkSpec covered = spec;
  covered.layers.resize(2);
  CHECK(std::isfinite(model->evaluate(covered).at("latency_ms")));
}

TEST_CASE("a fallback table prices what the primary lacks or failed, and counts those layers") {
  TempDir dir("lut-model");
  const NetworkSpec spec = five_layers();
  write_table(dir / "primary.csv", first(spec, 3), [](const Layer&) { return 1.0; });
  std::string text = read_text(dir / "primary.csv");
  write_text(dir / "primary.csv", text + spec.layers[3].key() + ",conv2d,,,,,,,,,failed,timeout\n");
  write_table(dir / "fallback.csv", spec.layers, [](const Layer&) { return 0.125; });
  auto model = lut_model(dir / "primary.csv", {{"fallback", dir / "fallback.csv"}});
  REQUIRE(model->metrics().size() == 2);
  CHECK(model->metrics()[1].name == "fallback_layers");
  const Metrics m = model->evaluate(spec);
  CHECK(m.at("latency_ms") == doctest::Approx(3 * 1.0 + 2 * 0.125));
  CHECK(m.at("fallback_layers") == 2);
}

TEST_CASE("a fallback without energy beside a primary with energy is a config error") {
  TempDir dir("lut-model");
  write_table(dir / "primary.csv", five_layers().layers, synthetic_latency, true);
  write_table(dir / "fallback.csv", five_layers().layers, synthetic_latency, false);
  try {
    lut_model(dir / "primary.csv", {{"fallback", dir / "fallback.csv"}});
    FAIL("accepted");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("fallback") != std::string::npos);
    CHECK(std::string(e.what()).find("no energy_mj column") != std::string::npos);
  }
}

TEST_CASE("a malformed table fails the plugin's construction with the table's DataError") {
  TempDir dir("lut-model");
  write_text(dir / "lut.csv", "key,latency_ms,status\nconv2d|1x1x1|1x1x1|k1|s1|p0|g1,0.1,ok\nconv2d|1x1x1|1x1x1|k1|s1|p0|g1,0.2,ok\n");
  CHECK_THROWS_WITH_AS(lut_model(dir / "lut.csv"), doctest::Contains("lut.csv:3: key"), DataError);
}
