// The HURRICANE space: its operator pool, the exact lowering of each operator
// type (hand-counted MACs and parameters), valid networks for random
// architectures, the text form, and one-line errors with the fix.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "hurricane_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "operators.hpp"
#include "plugin_config.hpp"
#include "error_text.hpp"

using nasctl::Architecture;
using nasctl::ConfigValue;
using nasctl::NetworkCost;
using nasctl::OpKind;
using nasctl::spaces::hurricane::Family;
using nasctl::spaces::hurricane::HurricaneSpace;
using nasctl::spaces::hurricane::operator_pool;

using nasctl::test::error_of;

namespace {

using Overrides = std::map<std::string, ConfigValue>;

std::unique_ptr<HurricaneSpace> space(const Overrides& overrides = {}) {
  return nasctl::test::make_plugin<HurricaneSpace>(overrides);
}

NetworkCost op_cost(const HurricaneSpace& s, std::size_t layer, const std::string& op) {
  return nasctl::count_cost(s.lower_operator(layer, op));
}

int count(const nasctl::NetworkSpec& n, OpKind op) {
  return static_cast<int>(std::count_if(n.layers.begin(), n.layers.end(), [&](const auto& l) { return l.op == op; }));
}

}  // namespace

TEST_CASE("the operator pool holds 43 distinct operators: 36 inverted bottlenecks, 6 ShuffleNetV2 units and skip") {
  const auto& pool = operator_pool();
  CHECK(pool.size() >= 32);
  CHECK(pool.size() == 43);
  std::set<std::string> names;
  int ir = 0, shuffle = 0, skip = 0, se = 0, hswish = 0;
  for (const auto& op : pool) {
    names.insert(op.name);
    ir += op.family == Family::InvertedResidual;
    shuffle += op.family == Family::Shuffle;
    skip += op.family == Family::Skip;
    se += op.se;
    hswish += op.act == nasctl::ActivationKind::HardSwish;
  }
  CHECK(names.size() == pool.size());
  CHECK(ir == 36);
  CHECK(shuffle == 6);
  CHECK(skip == 1);
  CHECK(se == 18);
  CHECK(hswish == 21);
  CHECK(names.count("ir_k7_e6_se_hswish") == 1);
  CHECK(names.count("shuffle_k5_relu") == 1);
}

TEST_CASE("the default macro structure has 20 searchable layers in FBNet's stages, skip only where the shape is kept") {
  const auto s = space();
  REQUIRE(s->variables().size() == 20);
  const auto positions = s->layer_positions();
  const std::set<std::size_t> reshaping{0, 4, 8, 12, 16, 19};  // first layer of each stage
  for (std::size_t i = 0; i < 20; ++i) {
    const auto& labels = s->variables()[i].labels;
    CHECK(s->variables()[i].name == "l" + std::to_string(i));
    const bool has_skip = std::find(labels.begin(), labels.end(), "skip") != labels.end();
    CHECK(has_skip == !reshaping.count(i));
    CHECK(labels.size() == (reshaping.count(i) ? 42u : 43u));
  }
  CHECK(positions[0].in == nasctl::TensorShape{16, 112, 112});
  CHECK(positions[0].out == nasctl::TensorShape{24, 56, 56});
  CHECK(positions[12].stride == 1);
  CHECK(positions[12].out == nasctl::TensorShape{112, 14, 14});
  CHECK(positions[19].out == nasctl::TensorShape{352, 7, 7});
}

TEST_CASE("an inverted bottleneck lowers to exact hand-counted MACs and parameters, SE included") {
  const auto s = space();
  // l1: 24x56x56 -> 24x56x56, mid 144 at 56x56 = 3136 positions.
  const NetworkCost plain = op_cost(*s, 1, "ir_k3_e6_relu");
  CHECK(plain.macs == 24 * 144 * 3136 + 9 * 144 * 3136 + 144 * 24 * 3136);  // 25,740,288
  CHECK(plain.params == (24 * 144 + 288) + (9 * 144 + 288) + (144 * 24 + 48));  // 8,832
  // SE hidden = make_divisible(144 / 4) = 40: two 1x1 convolutions with bias.
  const NetworkCost with_se = op_cost(*s, 1, "ir_k3_e6_se_relu");
  CHECK(with_se.macs - plain.macs == 2 * 144 * 40);
  CHECK(with_se.params - plain.params == 144 * 40 + 40 + 40 * 144 + 144);
  // Expansion 1 has no expand conv; l4 down-samples 24x56x56 -> 32x28x28 (784 positions).
  const NetworkCost e1 = op_cost(*s, 4, "ir_k7_e1_relu");
  CHECK(e1.macs == 49 * 24 * 784 + 24 * 32 * 784);  // 1,524,096
  CHECK(e1.params == (49 * 24 + 48) + (24 * 32 + 64));  // 2,056
  // The activation does not change the counts, only the layers' kind.
  CHECK(op_cost(*s, 1, "ir_k3_e6_hswish").macs == plain.macs);

  const auto net = s->lower_operator(1, "ir_k3_e6_relu");
  CHECK(count(net, OpKind::Conv2d) == 3);
  CHECK(net.layers.back().op == OpKind::Add);  // identity shortcut at stride 1, same width
  CHECK(s->lower_operator(4, "ir_k7_e1_relu").layers.back().op == OpKind::Conv2d);  // none when down-sampling
}

TEST_CASE("a ShuffleNetV2 unit lowers to exact counts: channel split at stride 1, two branches when down-sampling") {
  const auto s = space();
  // l1, stride 1, 24 channels: the second half (12) goes 1x1 -> dw 3x3 -> 1x1.
  const auto basic = s->lower_operator(1, "shuffle_k3_relu");
  const NetworkCost b = nasctl::count_cost(basic);
  CHECK(b.macs == 144 * 3136 + 9 * 12 * 3136 + 144 * 3136);  // 1,241,856
  CHECK(b.params == (144 + 24) + (108 + 24) + (144 + 24));   // 468
  CHECK(count(basic, OpKind::ChannelSlice) == 2);
  CHECK(count(basic, OpKind::Concat) == 1);
  CHECK(basic.layers.back().op == OpKind::ChannelShuffle);
  CHECK(basic.layers.back().groups == 2);
  // l0, 16x112x112 -> 24x56x56: both branches read the input, 12 channels each.
  const auto down = s->lower_operator(0, "shuffle_k5_hswish");
  const NetworkCost d = nasctl::count_cost(down);
  CHECK(d.macs == 25 * 16 * 3136 + 16 * 12 * 3136 + 16 * 12 * 12544 + 25 * 12 * 3136 + 144 * 3136);  // 5,657,344
  CHECK(d.params == (400 + 32) + (192 + 24) + (192 + 24) + (300 + 24) + (144 + 24));               // 1,356
  CHECK(count(down, OpKind::ChannelSlice) == 0);
  CHECK(down.output() == nasctl::TensorShape{24, 56, 56});
}

TEST_CASE("skip lowers to nothing and is refused where it would change the shape") {
  const auto s = space();
  CHECK(s->lower_operator(1, "skip").layers.empty());
  const std::string e = error_of([&] { s->lower_operator(0, "skip"); });
  CHECK(e.find("'skip' is not valid at layer l0") != std::string::npos);
}

TEST_CASE("every operator at every layer, and random whole networks, pass check_network with the declared shapes") {
  const auto s = space();
  for (std::size_t p = 0; p < s->layers(); ++p) {
    for (const auto& op : s->pool_at(p)) {
      const auto net = s->lower_operator(p, op);
      if (net.layers.empty()) continue;
      CHECK_NOTHROW(nasctl::check_network(net));
      CHECK(net.output() == s->layer_positions()[p].out);
    }
  }
  nasctl::Rng rng(7);
  for (int i = 0; i < 100; ++i) {
    const Architecture a = s->sample(rng);
    const auto net = s->lower(a);
    CHECK_NOTHROW(nasctl::check_network(net));
    CHECK(net.output() == nasctl::TensorShape{1000, 1, 1});
  }
}

TEST_CASE("a network's cost is the fixed stem, first block and head plus each layer's operator alone") {
  const auto s = space();
  // Stem 3->16 at 112x112, depthwise 3x3 16 + 1x1 16->16 at 112x112, head
  // 352->1984 at 7x7 and the classifier 1984->1000.
  const int64_t fixed_macs = 27 * 16 * 12544 + 9 * 16 * 12544 + 16 * 16 * 12544 + 352 * 1984 * 49 + 1984 * 1000;
  const int64_t fixed_params = (432 + 32) + (144 + 32) + (256 + 32) + (352 * 1984 + 2 * 1984) + (1984 * 1000 + 1000);
  nasctl::Rng rng(11);
  for (int i = 0; i < 20; ++i) {
    const Architecture a = s->sample(rng);
    int64_t macs = fixed_macs, params = fixed_params;
    for (std::size_t p = 0; p < s->layers(); ++p) {
      const NetworkCost c = op_cost(*s, p, s->variables()[p].labels[a[p]]);
      macs += c.macs;
      params += c.params;
    }
    const NetworkCost total = nasctl::count_cost(s->lower(a));
    CHECK(total.macs == macs);
    CHECK(total.params == params);
  }
}

TEST_CASE("the canonical text form round-trips") {
  const auto s = space();
  nasctl::Rng rng(3);
  for (int i = 0; i < 50; ++i) {
    const Architecture a = s->sample(rng);
    const std::string text = s->to_string(a);
    CHECK(text.rfind("l0=", 0) == 0);
    CHECK(s->parse(text) == a);
  }
}

TEST_CASE("bad architecture strings give one line naming the layer and the fix") {
  const auto s = space();
  const Architecture first(20, 0);
  std::string text = s->to_string(first);
  const std::string skip_at_l0 = "l0=skip" + text.substr(text.find(';'));
  std::string e = error_of([&] { s->parse(skip_at_l0); });
  CHECK(e.find("layer l0 cannot be 'skip'") != std::string::npos);
  CHECK(e.find("16x112x112 to 24x56x56") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);

  const std::string unknown = "l0=ir_k4_e6_relu" + text.substr(text.find(';'));
  e = error_of([&] { s->parse(unknown); });
  CHECK(e.find("unknown operator 'ir_k4_e6_relu'") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);

  e = error_of([&] { s->parse("l0=skip;l1=skip;l2=skip"); });
  CHECK(e.find("has 3 layers; this space has 20") != std::string::npos);
  e = error_of([&] { s->parse("x0=ir_k3_e1_relu" + text.substr(text.find(';'))); });
  CHECK(e.find("expected 'l0=<op>'") != std::string::npos);
}

TEST_CASE("the macro structure is configurable and checked") {
  const auto small = space({{"widths", std::vector<int64_t>{16, 32}},
                            {"depths", std::vector<int64_t>{1, 2}},
                            {"strides", std::vector<int64_t>{1, 2}},
                            {"resolution", int64_t{64}},
                            {"classes", int64_t{10}}});
  REQUIRE(small->variables().size() == 3);
  const auto pos = small->layer_positions();
  CHECK(pos[0].in == nasctl::TensorShape{16, 32, 32});
  CHECK(pos[0].out == nasctl::TensorShape{16, 32, 32});  // 16 -> 16 at stride 1: skip allowed
  CHECK(small->variables()[0].cardinality() == 43);
  CHECK(pos[1].out == nasctl::TensorShape{32, 16, 16});
  CHECK(small->lower(Architecture{0, 0, 0}).output() == nasctl::TensorShape{10, 1, 1});

  std::string e = error_of([&] { space({{"depths", std::vector<int64_t>{4, 4}}}); });
  CHECK(e.find("key 'plugin.depths'") != std::string::npos);
  CHECK(e.find("has 2 entries for 6 stages") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
  e = error_of([&] { space({{"widths", std::vector<int64_t>{24, 32, 64, 112, 185, 352}}}); });
  CHECK(e.find("odd width 185") != std::string::npos);
}
