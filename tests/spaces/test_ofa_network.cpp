// The lowered OFA MobileNetV3 networks: shapes, widths, structure, the
// resolution variable, the predictor encoding and config validation.
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"

using nasctl::Architecture;
using nasctl::ConfigValue;
using nasctl::OpKind;
using nasctl::TensorShape;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

// Every ks/e/d choice set to `choice` (0: smallest, 2: largest), resolution 0.
Architecture uniform(int choice) {
  Architecture arch(OfaMobileNetV3::kVariables, choice);
  arch[OfaMobileNetV3::kRIndex] = 0;
  return arch;
}

// Output shapes of the projection convolutions (1x1, BN, no activation):
// the first block's pointwise conv and every MBConv's last conv.
std::vector<TensorShape> projection_shapes(const nasctl::NetworkSpec& spec) {
  std::vector<TensorShape> shapes;
  for (const auto& l : spec.layers) {
    if (l.op == OpKind::Conv2d && l.kernel == 1 && l.batch_norm && l.activation == nasctl::ActivationKind::None &&
        (shapes.empty() || shapes.back() != l.out))
      shapes.push_back(l.out);
  }
  return shapes;
}

int count_ops(const nasctl::NetworkSpec& spec, OpKind op) {
  int n = 0;
  for (const auto& l : spec.layers) n += l.op == op;
  return n;
}

std::string config_error(const std::map<std::string, ConfigValue>& overrides) {
  try {
    nasctl::test::make_plugin<OfaMobileNetV3>(overrides);
  } catch (const nasctl::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("make_divisible rounds to multiples of 8 and bumps when rounding lost over 10%") {
  CHECK(nasctl::spaces::ofa_mobilenetv3::make_divisible(7) == 8);
  CHECK(nasctl::spaces::ofa_mobilenetv3::make_divisible(11) == 16);  // 8 < 0.9 * 11
  CHECK(nasctl::spaces::ofa_mobilenetv3::make_divisible(19.2) == 24);
  CHECK(nasctl::spaces::ofa_mobilenetv3::make_divisible(28.8) == 32);
  CHECK(nasctl::spaces::ofa_mobilenetv3::make_divisible(100) == 104);
  CHECK(nasctl::spaces::ofa_mobilenetv3::make_divisible(134.4) == 136);
}

TEST_CASE("random OFA networks pass check_network and end in the classifier") {
  nasctl::Rng rng(7);
  for (double width : {1.0, 1.2}) {
    const auto space = nasctl::test::make_plugin<OfaMobileNetV3>(
        {{"width", width}, {"resolutions", std::vector<int64_t>{128, 176, 224}}});
    for (int i = 0; i < 200; ++i) {
      const nasctl::NetworkSpec spec = space->lower(space->sample(rng));
      CHECK_NOTHROW(nasctl::check_network(spec));
      CHECK(spec.output() == TensorShape{1000, 1, 1});
    }
  }
}

TEST_CASE("smallest and largest networks have the stage shapes 112/56/28/14/14/7") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  const std::vector<TensorShape> expected = {{16, 112, 112}, {24, 56, 56}, {40, 28, 28},
                                             {80, 14, 14},   {112, 14, 14}, {160, 7, 7}};
  for (int choice : {0, 2}) {
    const nasctl::NetworkSpec spec = space->lower(uniform(choice));
    CHECK(spec.input == TensorShape{3, 224, 224});
    CHECK(spec.output() == TensorShape{1000, 1, 1});
    CHECK(projection_shapes(spec) == expected);
    CHECK(spec.layers.front().out == TensorShape{16, 112, 112});
  }
  // Larger choices make a strictly larger network.
  const auto small = nasctl::count_cost(space->lower(uniform(0)));
  const auto large = nasctl::count_cost(space->lower(uniform(2)));
  CHECK(small.macs < large.macs);
  CHECK(small.params < large.params);
}

TEST_CASE("blocks get squeeze-excite in stages 1, 3, 4 and residual adds where stride 1 keeps the width") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  Architecture arch = uniform(0);
  const std::array<int, 5> depth_choice{2, 0, 1, 2, 1};  // depths 4, 2, 3, 4, 3
  for (int s = 0; s < 5; ++s) arch[OfaMobileNetV3::kDBase + s] = depth_choice[s];
  const nasctl::NetworkSpec spec = space->lower(arch);
  CHECK(count_ops(spec, OpKind::SqueezeExcite) == 2 + 4 + 3);
  // First block, then every block but the first of each stage.
  CHECK(count_ops(spec, OpKind::Add) == 1 + 3 + 1 + 2 + 3 + 2);
  // SE hidden width: make_divisible(mid // 4); stage 1's first block: mid = 24*3 = 72 -> 18 -> 24.
  for (const auto& l : spec.layers) {
    if (l.op != OpKind::SqueezeExcite) continue;
    CHECK(l.in.channels == 72);
    CHECK(l.hidden == 24);
    break;
  }
}

TEST_CASE("width 1.2 widens every layer per make_divisible") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>({{"width", 1.2}});
  const std::array<int64_t, 9> expected{24, 24, 32, 48, 96, 136, 192, 1152, 1536};
  CHECK(space->widths() == expected);
  const nasctl::NetworkSpec spec = space->lower(uniform(1));
  const std::vector<TensorShape> projections = projection_shapes(spec);
  REQUIRE(projections.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(projections[i].channels == expected[1 + i]);
  CHECK_NOTHROW(nasctl::check_network(spec));
}

TEST_CASE("the resolution variable sets the input size and every spatial size after it") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>({{"resolutions", std::vector<int64_t>{160, 224}}});
  REQUIRE(space->variables().back().name == "r");
  CHECK(space->variables().back().labels == std::vector<std::string>{"160", "224"});
  Architecture arch = uniform(1);
  const nasctl::NetworkSpec at160 = space->lower(arch);
  arch[OfaMobileNetV3::kRIndex] = 1;
  const nasctl::NetworkSpec at224 = space->lower(arch);
  CHECK(at160.input == TensorShape{3, 160, 160});
  std::vector<int64_t> heights;
  for (const auto& s : projection_shapes(at160)) heights.push_back(s.height);
  CHECK(heights == std::vector<int64_t>{80, 40, 20, 10, 10, 5});
  CHECK(at160.output() == TensorShape{1000, 1, 1});
  const auto c160 = nasctl::count_cost(at160);
  const auto c224 = nasctl::count_cost(at224);
  CHECK(c160.params == c224.params);
  CHECK(c160.macs < c224.macs);
}

TEST_CASE("the classes key sets the classifier's output") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>({{"classes", int64_t{10}}});
  CHECK(space->lower(uniform(0)).output() == TensorShape{10, 1, 1});
}

TEST_CASE("canonicalize resets unused slots so equal networks compare and encode equal") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  Architecture a = uniform(0);  // depth 2 everywhere: slots 2, 3 of each stage unused
  Architecture b = a;
  b[OfaMobileNetV3::kKsBase + 2] = 2;
  b[OfaMobileNetV3::kEBase + 7] = 1;
  CHECK(a != b);
  CHECK(space->canonicalize(b) == a);
  CHECK(space->encode(a) == space->encode(b));
  CHECK(space->to_string(a) == space->to_string(b));
  // An active slot does change the network.
  Architecture c = a;
  c[OfaMobileNetV3::kKsBase + 1] = 2;
  CHECK(space->canonicalize(c) == c);
  CHECK(space->encode(c) != space->encode(a));
}

TEST_CASE("the encoding has the generic length and one-hots only active slots, depths and resolution") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>({{"resolutions", std::vector<int64_t>{192, 224}}});
  nasctl::Rng rng(3);
  for (int i = 0; i < 50; ++i) {
    const Architecture arch = space->sample(rng);
    const std::vector<double> x = space->encode(arch);
    REQUIRE(x.size() == space->encoding_size());
    double ones = 0;
    for (double v : x) ones += v;
    int active_slots = 0;
    for (int s = 0; s < 5; ++s) active_slots += OfaMobileNetV3::depth(arch, s);
    CHECK(ones == doctest::Approx(2 * active_slots + 5 + 1));
  }
}

TEST_CASE("a width other than 1.0 or 1.2 is a config error naming the key") {
  const std::string message = config_error({{"width", 1.1}});
  CHECK(message.find("key 'plugin.width'") != std::string::npos);
  CHECK(message.find("1.1") != std::string::npos);
  CHECK(message.find("fix:") != std::string::npos);
}

TEST_CASE("a resolution outside 128..224 or not a multiple of 4 is a config error naming the key") {
  for (int64_t bad : {130, 124, 228}) {
    const std::string message = config_error({{"resolutions", std::vector<int64_t>{224, bad}}});
    CHECK(message.find("key 'plugin.resolutions'") != std::string::npos);
    CHECK(message.find(std::to_string(bad)) != std::string::npos);
  }
  CHECK(config_error({{"resolutions", std::vector<int64_t>{}}}).find("is empty") != std::string::npos);
  CHECK(config_error({{"resolutions", std::vector<int64_t>{224, 224}}}).find("twice") != std::string::npos);
}
