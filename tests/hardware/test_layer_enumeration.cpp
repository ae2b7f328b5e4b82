// The layers a LUT needs. The spaces' distinct_layers() are exact in both
// directions: every layer of a random network is enumerated, and every
// enumerated layer occurs in a network built independently of the
// enumeration (a witness). Isolating a layer keeps its key.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "hurricane_space.hpp"
#include "lut_support.hpp"
#include "nasctl/lut/layer_network.hpp"
#include "nasctl/rng.hpp"

using namespace nasctl;
using namespace nasctl::test;
using spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

std::set<std::string> keys_of(const std::vector<Layer>& layers) {
  std::set<std::string> keys;
  for (const Layer& l : layers) keys.insert(l.key());
  return keys;
}

void check_random_networks_covered(const SearchSpace& space, const std::set<std::string>& enumerated, int networks) {
  Rng rng(5);
  std::size_t uncovered = 0;
  for (int i = 0; i < networks; ++i) {
    for (const Layer& l : space.lower(space.sample(rng)).layers) {
      if (enumerated.count(l.key())) continue;
      if (++uncovered <= 3) MESSAGE("not enumerated: " << l.key());
    }
  }
  CHECK(uncovered == 0);
}

std::vector<int64_t> all_ofa_resolutions() {
  std::vector<int64_t> r;
  for (int64_t v = 128; v <= 224; v += 4) r.push_back(v);
  return r;
}

}  // namespace

TEST_CASE("OFA MobileNetV3 w1.0 at 224 has 160 distinct layer signatures, listed once each, deterministically") {
  auto space = ofa_space({224});
  const std::vector<Layer> layers = space->distinct_layers();
  CHECK(layers.size() == 160);
  CHECK(keys_of(layers).size() == layers.size());
  const std::vector<Layer> again = space->distinct_layers();
  REQUIRE(again.size() == layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) CHECK(again[i].key() == layers[i].key());
}

TEST_CASE("OFA distinct_layers is exact for every resolution and both widths") {
  for (double width : {1.0, 1.2}) {
    CAPTURE(width);
    auto space = ofa_space(all_ofa_resolutions(), width);
    const std::set<std::string> enumerated = keys_of(space->distinct_layers());
    MESSAGE("OFA w" << width << ", 25 resolutions: " << enumerated.size() << " distinct signatures");

    // Sound: every layer of random sub-networks is enumerated.
    check_random_networks_covered(*space, enumerated, 400);

    // Complete, constructively: for every resolution, stage, block position
    // and (ks, e), a random architecture with that block in place; the
    // layers of these witnesses are exactly the enumerated ones.
    Rng rng(17);
    std::set<std::string> witnessed;
    for (int r = 0; r < static_cast<int>(space->resolutions().size()); ++r) {
      for (int s = 0; s < OfaMobileNetV3::kStages; ++s) {
        for (int b = 0; b < OfaMobileNetV3::kSlotsPerStage; ++b) {
          for (int k = 0; k < 3; ++k) {
            for (int e = 0; e < 3; ++e) {
              Architecture arch = space->sample(rng);
              arch[OfaMobileNetV3::kRIndex] = r;
              arch[OfaMobileNetV3::kDBase + s] = std::max(arch[OfaMobileNetV3::kDBase + s], std::max(0, b - 1));
              const int slot = s * OfaMobileNetV3::kSlotsPerStage + b;
              arch[OfaMobileNetV3::kKsBase + slot] = k;
              arch[OfaMobileNetV3::kEBase + slot] = e;
              for (const Layer& l : space->lower(arch).layers) witnessed.insert(l.key());
            }
          }
        }
      }
    }
    CHECK(witnessed == enumerated);
  }
}

TEST_CASE("HURRICANE distinct_layers is exact: random networks covered, each (layer, operator) witnessed") {
  auto space = make_plugin<spaces::hurricane::HurricaneSpace>();
  const std::set<std::string> enumerated = keys_of(space->distinct_layers());
  check_random_networks_covered(*space, enumerated, 300);
  Rng rng(23);
  std::set<std::string> witnessed;
  for (std::size_t i = 0; i < space->variables().size(); ++i) {
    for (int c = 0; c < space->variables()[i].cardinality(); ++c) {
      Architecture arch = space->sample(rng);
      arch[i] = c;
      for (const Layer& l : space->lower(arch).layers) witnessed.insert(l.key());
    }
  }
  CHECK(witnessed == enumerated);
}

namespace {

// A space that cannot enumerate its layers: one conv whose kernel is chosen.
class KernelSpace : public SearchSpace {
 public:
  KernelSpace() : variables_{numeric_variable("k", {1, 3, 5}), numeric_variable("w", {8, 16})} {}
  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& a) const override {
    NetworkBuilder b("kernels", {4, 16, 16});
    b.conv(static_cast<int64_t>(variables_[1].values[a[1]]), static_cast<int>(variables_[0].values[a[0]]), 1, 1, true,
           ActivationKind::ReLU);
    return std::move(b).finish();
  }

 private:
  std::vector<DecisionVariable> variables_;
};

}  // namespace

TEST_CASE("a space without LayerEnumerable is sampled, and says so") {
  const KernelSpace space;
  const lut::LayerEnumeration sampled = lut::enumerate_layers(space, 200, 1);
  CHECK_FALSE(sampled.exact);
  CHECK(sampled.samples == 200);
  CHECK(sampled.layers.size() == 6);
  CHECK(sampled.late_discoveries == 0);
  auto ofa = ofa_space({224});
  const lut::LayerEnumeration exact = lut::enumerate_layers(*ofa, 200, 1);
  CHECK(exact.exact);
  CHECK(exact.layers.size() == 160);
}

TEST_CASE("an isolated layer is a valid network whose last layer has the layer's key") {
  NetworkBuilder b("n", {16, 28, 28});
  const int in = b.conv(32, 1, 1, 1, true, ActivationKind::ReLU);
  b.depthwise(5, 2, true, ActivationKind::HardSwish);
  b.squeeze_excite(8);
  b.set_current(in);
  b.depthwise(5, 2, true, ActivationKind::HardSwish);
  const int a = b.current();
  const int sum = b.add(a, a);
  const int half = b.channel_slice(0, 16);
  b.set_current(sum);
  const int rest = b.channel_slice(16, 16);
  b.concat({half, rest});
  b.concat({half, b.current()});  // uneven: 16 + 32 channels
  b.channel_shuffle(2);
  b.global_avg_pool();
  b.linear(10, true);
  const NetworkSpec spec = std::move(b).finish();
  for (const Layer& layer : spec.layers) {
    CAPTURE(layer.key());
    const NetworkSpec alone = lut::isolated_network(layer);
    CHECK(alone.layers.back().key() == layer.key());
    CHECK(alone.input == (layer.op == OpKind::Concat && layer.out.channels != 2 * layer.in.channels
                              ? TensorShape{layer.out.channels, layer.in.height, layer.in.width}
                              : layer.in));
    if (layer.op == OpKind::Add) CHECK(alone.layers.back().inputs == std::vector<int>{kNetworkInput, kNetworkInput});
  }
}
