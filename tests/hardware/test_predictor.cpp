// The hardware "predictor": features of networks, fitting on measured samples
// in nasctl's evaluations.csv format, held-out statistics, the versioned
// model file (save, load, identical predictions, refusal of files that do not
// fit), and unlearnable data turned into clear errors.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "../predict/tiny_space.hpp"
#include "device_profile.hpp"
#include "hw_test_support.hpp"
#include "latency_predictor.hpp"
#include "layer_cost.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "network_features.hpp"
#include "ofa_mobilenetv3.hpp"
#include "predictor_file.hpp"
#include "roofline.hpp"

using namespace nasctl;
using nasctl::hardware::predictor::LatencyPredictor;

namespace {

using Strings = std::vector<std::string>;

// A latency that is linear in the network's features: what a device with a
// cost per MAC and per layer would show.
double true_latency(const NetworkSpec& net) {
  const NetworkCost cost = count_cost(net);
  return 0.5 + 2e-6 * static_cast<double>(cost.macs) + 0.05 * static_cast<double>(net.layers.size());
}

// Rows "index,arch,cpu.latency_ms,feasible" like a search's evaluations.csv.
std::string evaluations_csv(const SearchSpace& space, const std::vector<Architecture>& archs,
                            const std::function<double(const NetworkSpec&)>& latency) {
  std::ostringstream out;
  out << "index,arch,cpu.latency_ms,feasible\n";
  for (std::size_t i = 0; i < archs.size(); ++i)
    out << i << ',' << csv_escape(space.to_string(archs[i])) << ',' << latency(space.lower(archs[i])) << ",true\n";
  return out.str();
}

std::unique_ptr<LatencyPredictor> make(const test::HwScratch& dir, const std::map<std::string, ConfigValue>& given) {
  const PluginConfig config = test::hw_config(LatencyPredictor::config_keys(), given, dir.path());
  return std::make_unique<LatencyPredictor>(PluginContext{config, "cpu_pred", 42});
}

double predicted(LatencyPredictor& p, const SearchSpace& space, const Architecture& arch) {
  const test::HwCandidate c(space, arch);
  return p.provide(c.candidate).at("latency_ms");
}

struct TinyFixture {
  test::HwScratch dir;
  test::TinySpace space;
  std::vector<Architecture> train, held_out;
  TinyFixture() {
    const auto all = space.all();
    for (std::size_t i = 0; i < all.size(); ++i) (i % 4 == 3 ? held_out : train).push_back(all[i]);
    dir.write("train.csv", evaluations_csv(space, train, true_latency));
    dir.write("test.csv", evaluations_csv(space, held_out, true_latency));
  }
};

}  // namespace

TEST_CASE("network features count MACs per op class, element-wise traffic and layers") {
  NetworkBuilder b("f", {8, 8, 8});
  const int in = b.conv(16, 1, 1, 1, true, ActivationKind::ReLU);
  b.depthwise(5, 1, true, ActivationKind::ReLU);
  b.squeeze_excite(8);
  const int out = b.conv(16, 1, 1, 1, true, ActivationKind::None);
  b.add(in, out);
  b.global_avg_pool();
  b.linear(10, true);
  const NetworkSpec net = std::move(b).finish();
  const std::vector<double> f = hardware::predictor::network_features(net);
  const auto& names = hardware::predictor::network_feature_names();
  REQUIRE(f.size() == names.size());
  const auto at = [&](const std::string& name) { return f[std::find(names.begin(), names.end(), name) - names.begin()]; };
  CHECK(at("macs_dense_conv") == 8 * 16 * 64 + 16 * 16 * 64);
  CHECK(at("macs_depthwise_k5") == 25 * 16 * 64);
  CHECK(at("macs_depthwise_k3") == 0);
  CHECK(at("macs_linear") == (16 * 8 + 8 * 16) + 16 * 10);
  CHECK(at("elementwise_elements") == 2 * 1024 + 1024 + 1024);  // SE pool + scale, add, global pool
  CHECK(at("layers") == 7);
  CHECK(at("layers_squeeze_excite") == 1);
  CHECK(at("params") == count_cost(net).params);
}

TEST_CASE("the predictor learns latency from an evaluations.csv and predicts held-out networks") {
  TinyFixture fx;
  auto p = make(fx.dir, {{"files", Strings{"train.csv"}}, {"test_files", Strings{"test.csv"}}, {"model", std::string("ridge_cv")}});
  p->prepare(fx.space);
  REQUIRE(p->metrics().size() == 1);
  CHECK(p->metrics()[0].name == "latency_ms");
  CHECK(p->metrics()[0].unit == "ms");
  for (const auto& arch : fx.held_out) {
    const double truth = true_latency(fx.space.lower(arch));
    CHECK(predicted(*p, fx.space, arch) == doctest::Approx(truth).epsilon(0.01));
  }
  const Conditions c = p->conditions();
  CHECK(c.at("samples") == std::to_string(fx.train.size()));
  CHECK(std::stod(c.at("latency_ms.cv_mape_percent")) < 1.0);
  CHECK(std::stod(c.at("latency_ms.test_mape_percent")) < 1.0);
  CHECK(std::stod(c.at("latency_ms.test_within_10_percent")) == 100.0);
  CHECK(std::stod(c.at("latency_ms.test_kendall_tau")) > 0.9);
}

TEST_CASE("a search's failed evaluations in the training file are left out and reported") {
  TinyFixture fx;
  std::string rows = evaluations_csv(fx.space, fx.train, true_latency);
  rows.replace(0, rows.find('\n'), "index,arch,cpu.latency_ms,feasible,error");
  std::string with_error;
  std::istringstream lines(rows);
  std::getline(lines, with_error);
  with_error += '\n';
  for (std::string line; std::getline(lines, line);) with_error += line + ",\n";
  with_error += "99," + csv_escape(fx.space.to_string(fx.held_out[0])) + ",,false,measure: timeout\n";
  fx.dir.write("with_failed.csv", with_error);
  auto p = make(fx.dir, {{"files", Strings{"with_failed.csv"}}, {"model", std::string("ridge_cv")}});
  p->prepare(fx.space);
  CHECK(predicted(*p, fx.space, fx.held_out[1]) == doctest::Approx(true_latency(fx.space.lower(fx.held_out[1]))).epsilon(0.01));
  const Conditions c = p->conditions();
  CHECK(c.at("samples") == std::to_string(fx.train.size()));
  CHECK(c.at("failed_rows_left_out").rfind("1 (first: ", 0) == 0);
}

TEST_CASE("a saved predictor loads without training data and predicts bit for bit the same") {
  TinyFixture fx;
  const std::string file = fx.dir / "pred.json";
  auto fitted = make(fx.dir, {{"files", Strings{"train.csv"}}, {"model_file", std::string("pred.json")}});
  fitted->prepare(fx.space);
  REQUIRE(std::filesystem::exists(file));
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().find("\"format\": \"nasctl-hardware-predictor\"") != std::string::npos);
  CHECK(text.str().find("\"version\": 1") != std::string::npos);
  CHECK(text.str().find("\"format\": \"nasctl-regressor\"") != std::string::npos);  // the library's own format inside

  auto loaded = make(fx.dir, {{"model_file", std::string("pred.json")}});
  loaded->prepare(fx.space);
  for (const auto& arch : fx.space.all()) CHECK(predicted(*loaded, fx.space, arch) == predicted(*fitted, fx.space, arch));
  CHECK(loaded->conditions().at("model_file") == file + " (loaded)");
  CHECK(loaded->model().samples == fx.train.size());
}

TEST_CASE("too few samples to cross-validate is a clear error naming the metric, column and files") {
  test::HwScratch dir;
  test::TinySpace space;
  const auto all = space.all();
  dir.write("few.csv", evaluations_csv(space, {all[0], all[1], all[2], all[3]}, true_latency));
  auto p = make(dir, {{"files", Strings{"few.csv"}}});
  try {
    p->prepare(space);
    FAIL("expected an error");
  } catch (const DataError& e) {
    const std::string message = e.what();
    CHECK(message.find("predictor 'cpu_pred': metric 'latency_ms' (column 'cpu.latency_ms' of " + (dir / "few.csv") +
                       ", 4 distinct architectures)") == 0);
    CHECK(message.find("fix:") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("a predictor needs training files unless its model file exists") {
  test::HwScratch dir;
  CHECK_THROWS_WITH_AS(make(dir, {}), doctest::Contains("key 'hardware[0].files': is missing"), ConfigError);
  CHECK_THROWS_WITH_AS(make(dir, {{"model_file", std::string("absent.json")}}),
                       doctest::Contains("key 'hardware[0].files': is missing"), ConfigError);
  CHECK_THROWS_WITH_AS(make(dir, {{"files", Strings{"nope.csv"}}}), doctest::Contains("nope.csv"), DataError);
}

TEST_CASE("model files that do not fit are refused: other version, other features, other space") {
  TinyFixture fx;
  // Fitted on architecture + network features: the file then depends on the space.
  auto fitted = make(fx.dir, {{"files", Strings{"train.csv"}}, {"model_file", std::string("pred.json")},
                              {"features", std::string("both")}});
  fitted->prepare(fx.space);

  std::ifstream in(fx.dir / "pred.json");
  std::stringstream text;
  text << in.rdbuf();
  // The file's own version (its last key) and the embedded model's (inside "metrics").
  std::string v2 = text.str();
  v2.replace(v2.rfind("\"version\": 1"), 12, "\"version\": 2");
  fx.dir.write("v2.json", v2);
  CHECK_THROWS_WITH_AS(make(fx.dir, {{"model_file", std::string("v2.json")}}),
                       doctest::Contains("predictor file version 2, this nasctl reads version 1"), DataError);
  std::string inner = text.str();
  inner.replace(inner.find("\"version\": 1"), 12, "\"version\": 2");
  fx.dir.write("inner.json", inner);
  CHECK_THROWS_WITH_AS(make(fx.dir, {{"model_file", std::string("inner.json")}}),
                       doctest::Contains("inner.json: metric 'latency_ms': model file format version 2"), DataError);

  CHECK_THROWS_WITH_AS(make(fx.dir, {{"model_file", std::string("pred.json")}, {"features", std::string("network")}}),
                       doctest::Contains("was fitted on \"both\""), ConfigError);

  // Same feature set, another space: the encoding differs in length.
  const PluginConfig ofa_config = test::hw_config(spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys(), {});
  const spaces::ofa_mobilenetv3::OfaMobileNetV3 ofa(PluginContext{ofa_config, "space", 42});
  auto loaded = make(fx.dir, {{"model_file", std::string("pred.json")}, {"features", std::string("both")}});
  CHECK_THROWS_WITH_AS(loaded->prepare(ofa), doctest::Contains("was fitted on"), DataError);

  // refit = true ignores the file and trains again.
  auto refit = make(fx.dir, {{"files", Strings{"train.csv"}}, {"model_file", std::string("v2.json")}, {"refit", true}});
  refit->prepare(fx.space);
  CHECK(hardware::predictor::load_predictor(fx.dir / "v2.json").samples == fx.train.size());
}

TEST_CASE("on OFA MobileNetV3 the predictor learns a roofline device's latency from 150 samples") {
  test::HwScratch dir;
  const PluginConfig ofa_config = test::hw_config(spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys(), {});
  const spaces::ofa_mobilenetv3::OfaMobileNetV3 space(PluginContext{ofa_config, "space", 42});
  const hardware::roofline::DeviceProfile dsp =
      hardware::roofline::load_device_profile(hardware::roofline::shipped_profiles_dir() + "/hexagon-685.toml");
  const auto latency = [&](const NetworkSpec& n) { return hardware::roofline::estimate_network(dsp, n, 1).latency_s * 1e3; };
  Rng rng(7);
  std::vector<Architecture> train, test;
  for (int i = 0; i < 200; ++i) (i < 150 ? train : test).push_back(space.sample(rng));
  dir.write("train.csv", evaluations_csv(space, train, latency));
  dir.write("test.csv", evaluations_csv(space, test, latency));
  auto p = make(dir, {{"files", Strings{"train.csv"}}, {"test_files", Strings{"test.csv"}}, {"model", std::string("ridge_cv")}});
  p->prepare(space);
  const Conditions c = p->conditions();
  CHECK(std::stod(c.at("latency_ms.test_mape_percent")) < 3.0);
  CHECK(std::stod(c.at("latency_ms.test_kendall_tau")) > 0.9);
}
