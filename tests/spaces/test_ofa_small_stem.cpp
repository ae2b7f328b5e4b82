// OFA MobileNetV3 for small inputs: `input_channels` (1 for grey images
// such as Fashion-MNIST) and `stem = "small"` (first convolution and first
// stage at stride 1, total stride 8), next to the default ImageNet layout.
// Shapes at 28 and 32, what the keys change in the counts (and what they
// do not), the lookup-table enumeration, the text forms and bad values.
#include <doctest/doctest.h>

#include <map>
#include <set>
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

std::unique_ptr<OfaMobileNetV3> fashion_space(std::vector<int64_t> resolutions = {28}, double width = 1.0) {
  return nasctl::test::make_plugin<OfaMobileNetV3>({{"stem", std::string("small")},
                                                    {"input_channels", int64_t{1}},
                                                    {"classes", int64_t{10}},
                                                    {"width", width},
                                                    {"resolutions", std::move(resolutions)}});
}

Architecture uniform(int choice, int resolution = 0) {
  Architecture arch(OfaMobileNetV3::kVariables, choice);
  arch[OfaMobileNetV3::kRIndex] = resolution;
  return arch;
}

// The output of the projection convolution that ends each stage (and of the
// fixed first block), in order.
std::vector<TensorShape> stage_outputs(const nasctl::NetworkSpec& spec) {
  std::vector<TensorShape> shapes;
  for (const auto& l : spec.layers) {
    if (l.op == OpKind::Conv2d && l.kernel == 1 && l.batch_norm && l.activation == nasctl::ActivationKind::None &&
        (shapes.empty() || shapes.back() != l.out))
      shapes.push_back(l.out);
  }
  return shapes;
}

// The input of the global average pool: the last feature map.
TensorShape last_feature_map(const nasctl::NetworkSpec& spec) {
  for (const auto& l : spec.layers) {
    if (l.op == OpKind::GlobalAvgPool) return l.in;
  }
  return {};
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

TEST_CASE("the keys default to OFA's ImageNet layout: 3 channels, stem imagenet") {
  const auto space = nasctl::test::make_plugin<OfaMobileNetV3>();
  CHECK(space->input_channels() == 3);
  CHECK_FALSE(space->small_stem());
  const nasctl::NetworkSpec spec = space->lower(uniform(0));
  CHECK(spec.input == TensorShape{3, 224, 224});
  CHECK(spec.layers.front().stride == 2);
  CHECK(last_feature_map(spec) == TensorShape{960, 7, 7});
}

TEST_CASE("the small stem at 28x28 x 1 channel keeps 28 through the first stage and ends at 4x4 with 10 logits") {
  const auto space = fashion_space();
  for (int choice : {0, 2}) {
    CAPTURE(choice);
    const nasctl::NetworkSpec spec = space->lower(uniform(choice));
    nasctl::check_network(spec);
    CHECK(spec.input == TensorShape{1, 28, 28});
    CHECK(spec.layers.front().in.channels == 1);
    CHECK(spec.layers.front().stride == 1);
    CHECK(spec.layers.front().out == TensorShape{16, 28, 28});
    // First block, then stages 1..5: 28 -> 28 -> 14 -> 7 -> 7 -> 4.
    const std::vector<TensorShape> expected = {{16, 28, 28}, {24, 28, 28}, {40, 14, 14},
                                               {80, 7, 7},   {112, 7, 7},  {160, 4, 4}};
    CHECK(stage_outputs(spec) == expected);
    CHECK(last_feature_map(spec) == TensorShape{960, 4, 4});
    CHECK(spec.output() == TensorShape{10, 1, 1});
    CHECK(spec.layers.back().op == OpKind::Linear);
  }
}

TEST_CASE("the small stem at 32 ends at 4x4, at 64 at 8x8") {
  const auto space = fashion_space({32, 64});
  CHECK(last_feature_map(space->lower(uniform(1, 0))) == TensorShape{960, 4, 4});
  CHECK(last_feature_map(space->lower(uniform(1, 1))) == TensorShape{960, 8, 8});
}

TEST_CASE("the stem's strides change no parameter, one input channel removes two thirds of the first convolution") {
  const auto imagenet = nasctl::test::make_plugin<OfaMobileNetV3>();
  const auto small_rgb = nasctl::test::make_plugin<OfaMobileNetV3>(
      {{"stem", std::string("small")}, {"resolutions", std::vector<int64_t>{28}}});
  const auto grey = nasctl::test::make_plugin<OfaMobileNetV3>({{"input_channels", int64_t{1}}});
  nasctl::Rng rng(11);
  for (int i = 0; i < 10; ++i) {
    const Architecture arch = imagenet->sample(rng);
    Architecture at_28 = arch;
    at_28[OfaMobileNetV3::kRIndex] = 0;
    CAPTURE(imagenet->to_string(arch));
    const auto rgb = nasctl::count_cost(imagenet->lower(arch));
    CHECK(nasctl::count_cost(small_rgb->lower(at_28)).params == rgb.params);
    // The stem: 3x3 x cin x 16 weights, at 112x112 outputs.
    const auto one = nasctl::count_cost(grey->lower(arch));
    CHECK(rgb.params - one.params == 3 * 3 * 2 * 16);
    CHECK(rgb.macs - one.macs == 3 * 3 * 2 * 16 * 112 * 112);
  }
}

TEST_CASE("small-stem MACs follow the spatial sizes 28/28/14/7/7/4: the first convolution is 3x3x1x16 at 28x28") {
  const auto space = fashion_space();
  const nasctl::NetworkSpec spec = space->lower(uniform(0));
  CHECK(nasctl::layer_macs(spec.layers.front()) == 3 * 3 * 1 * 16 * 28 * 28);
  int64_t total = 0;
  for (const auto& l : spec.layers) total += nasctl::layer_macs(l);
  CHECK(nasctl::count_cost(spec).macs == total);
  // Much smaller than the same architecture at 224 with OFA's layout.
  const auto imagenet = nasctl::test::make_plugin<OfaMobileNetV3>({{"classes", int64_t{10}}});
  CHECK(nasctl::count_cost(spec).macs * 2 < nasctl::count_cost(imagenet->lower(uniform(0))).macs);
}

TEST_CASE("the small-stem space enumerates exactly the layers its networks hold (lookup tables)") {
  const auto space = fashion_space({28, 32});
  std::set<std::string> enumerated;
  for (const nasctl::Layer& l : space->distinct_layers()) enumerated.insert(l.key());
  std::set<std::string> seen;
  nasctl::Rng rng(3);
  for (int i = 0; i < 40; ++i) {
    for (const nasctl::Layer& l : space->lower(space->sample(rng)).layers) seen.insert(l.key());
  }
  for (const std::string& key : seen) CHECK_MESSAGE(enumerated.count(key) == 1, key);
  // The stem layer is the 1-channel, stride-1 one, at both resolutions.
  int stems = 0;
  for (const nasctl::Layer& l : space->distinct_layers()) stems += l.op == OpKind::Conv2d && l.in.channels == 1;
  CHECK(stems == 2);
}

TEST_CASE("architecture strings name the small resolution and parse back") {
  const auto space = fashion_space({28, 32});
  const Architecture arch = uniform(1, 0);
  const std::string text = space->to_string(arch);
  CHECK(text.substr(text.size() - 5) == ";r=28");
  CHECK(space->parse(text) == space->canonicalize(arch));
  CHECK(space->parse(space->to_dynast(arch)) == space->canonicalize(arch));
  CHECK(space->to_dynast(arch).find("'r': [28]") != std::string::npos);
}

TEST_CASE("bad stem, input_channels and resolutions for the stem are config errors naming the key") {
  const std::string stem = config_error({{"stem", std::string("tiny")}});
  CHECK(stem.find("key 'plugin.stem'") != std::string::npos);
  CHECK(stem.find("tiny") != std::string::npos);
  CHECK(stem.find("fix:") != std::string::npos);
  for (int64_t bad : {0, -3}) {
    const std::string channels = config_error({{"input_channels", bad}});
    CHECK(channels.find("key 'plugin.input_channels'") != std::string::npos);
    CHECK(channels.find("fix:") != std::string::npos);
  }
  // ImageNet's resolutions with the small stem, and small ones without it.
  const std::string big = config_error({{"stem", std::string("small")}, {"resolutions", std::vector<int64_t>{224}}});
  CHECK(big.find("key 'plugin.resolutions'") != std::string::npos);
  CHECK(big.find("224") != std::string::npos);
  CHECK(big.find("small stem") != std::string::npos);
  const std::string small = config_error({{"resolutions", std::vector<int64_t>{28}}});
  CHECK(small.find("key 'plugin.resolutions'") != std::string::npos);
  CHECK(small.find("stem = \"small\"") != std::string::npos);
  CHECK(config_error({{"stem", std::string("small")}, {"resolutions", std::vector<int64_t>{8}}})
            .find("key 'plugin.resolutions'") != std::string::npos);
  // Every message is one line.
  for (const std::string& m : {stem, big, small}) CHECK(m.find('\n') == std::string::npos);
}
