// The FBNet space (HW-NAS-Bench's definition): its variables, block
// positions at CIFAR and ImageNet input, the exact lowering of every
// candidate (hand-counted MACs and parameters), whole-network counts against
// an independent formula, the text forms and their one-line errors, the
// layer enumeration and the size extremes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "error_text.hpp"
#include "fbnet_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "plugin_config.hpp"

using nasctl::Architecture;
using nasctl::ConfigValue;
using nasctl::NetworkCost;
using nasctl::OpKind;
using nasctl::TensorShape;
using nasctl::spaces::fbnet::FbnetSpace;
using nasctl::test::error_of;

namespace {

using Overrides = std::map<std::string, ConfigValue>;

std::unique_ptr<FbnetSpace> space(const Overrides& overrides = {}) {
  return nasctl::test::make_plugin<FbnetSpace>(overrides);
}

std::unique_ptr<FbnetSpace> imagenet() { return space({{"input", std::string("imagenet")}}); }

const std::vector<std::string> kOps{"k3_e1", "k3_e1_g2", "k3_e3", "k3_e6", "k5_e1", "k5_e1_g2", "k5_e3", "k5_e6", "skip"};
constexpr int kSkipIndex = 8;

NetworkCost block_cost(const FbnetSpace& s, int position, int choice) {
  return nasctl::count_cost(s.lower_block(position, choice));
}

int count(const nasctl::NetworkSpec& n, OpKind op) {
  return static_cast<int>(std::count_if(n.layers.begin(), n.layers.end(), [&](const auto& l) { return l.op == op; }));
}

// An independent count of a whole network, from HW-NAS-Bench's layout as
// written here by hand (not from the space's positions) and the counting
// convention: k*k*(cin/g)*cout*Hout*Wout per convolution, in*out per linear
// layer; weights + biases + 2 per batch-norm channel.
struct Count {
  int64_t macs = 0;
  int64_t params = 0;
};

Count reference(const Architecture& arch, bool imagenet_input, int64_t classes) {
  struct Pos {
    int64_t cin, cout, h, hout;
  };
  // cin, cout, input size, output size of the 22 blocks.
  const std::vector<Pos> cifar{{16, 16, 32, 32},  {16, 24, 32, 32},  {24, 24, 32, 32},  {24, 24, 32, 32},
                               {24, 24, 32, 32},  {24, 32, 32, 16},  {32, 32, 16, 16},  {32, 32, 16, 16},
                               {32, 32, 16, 16},  {32, 64, 16, 8},   {64, 64, 8, 8},    {64, 64, 8, 8},
                               {64, 64, 8, 8},    {64, 112, 8, 8},   {112, 112, 8, 8},  {112, 112, 8, 8},
                               {112, 112, 8, 8},  {112, 184, 8, 4},  {184, 184, 4, 4},  {184, 184, 4, 4},
                               {184, 184, 4, 4},  {184, 352, 4, 4}};
  const std::vector<Pos> inet{{16, 16, 112, 112}, {16, 24, 112, 56}, {24, 24, 56, 56}, {24, 24, 56, 56},
                              {24, 24, 56, 56},   {24, 32, 56, 28},  {32, 32, 28, 28}, {32, 32, 28, 28},
                              {32, 32, 28, 28},   {32, 64, 28, 14},  {64, 64, 14, 14}, {64, 64, 14, 14},
                              {64, 64, 14, 14},   {64, 112, 14, 14}, {112, 112, 14, 14}, {112, 112, 14, 14},
                              {112, 112, 14, 14}, {112, 184, 14, 7}, {184, 184, 7, 7}, {184, 184, 7, 7},
                              {184, 184, 7, 7},   {184, 352, 7, 7}};
  const int kernels[] = {3, 3, 3, 3, 5, 5, 5, 5, 0};
  const int expansions[] = {1, 1, 3, 6, 1, 1, 3, 6, 0};
  const int groups[] = {1, 2, 1, 1, 1, 2, 1, 1, 1};
  const std::vector<Pos>& pos = imagenet_input ? inet : cifar;
  const int64_t stem_out = imagenet_input ? 112 : 32;
  const int64_t head = imagenet_input ? 1984 : 1504;
  const int64_t last = imagenet_input ? 7 : 4;
  Count c;
  c.macs = 27 * 16 * stem_out * stem_out;
  c.params = 27 * 16 + 32;
  for (int i = 0; i < 22; ++i) {
    const Pos& p = pos[i];
    const int op = arch[i];
    const int64_t out = p.hout * p.hout;
    if (op == kSkipIndex) {
      if (p.cin == p.cout && p.h == p.hout) continue;
      c.macs += p.cin * p.cout * out;
      c.params += p.cin * p.cout + 2 * p.cout;
      continue;
    }
    const int64_t mid = p.cin * expansions[op], g = groups[op], k = kernels[op];
    c.macs += p.cin / g * mid * p.h * p.h + k * k * mid * out + mid / g * p.cout * out;
    c.params += p.cin / g * mid + 2 * mid + k * k * mid + 2 * mid + mid / g * p.cout + 2 * p.cout;
  }
  c.macs += 352 * head * last * last + head * classes;
  c.params += 352 * head + 2 * head + head * classes + classes;
  return c;
}

// 9^22 as a decimal string, by schoolbook multiplication.
std::string nine_to_the_22() {
  std::string digits = "1";  // least significant first
  for (int i = 0; i < 22; ++i) {
    int carry = 0;
    for (char& d : digits) {
      const int v = (d - '0') * 9 + carry;
      d = static_cast<char>('0' + v % 10);
      carry = v / 10;
    }
    while (carry) {
      digits += static_cast<char>('0' + carry % 10);
      carry /= 10;
    }
  }
  return std::string(digits.rbegin(), digits.rend());
}

}  // namespace

TEST_CASE("fbnet: 22 variables, each the 9 candidates in HW-NAS-Bench's op-index order, 9^22 networks") {
  const auto s = space();
  REQUIRE(s->variables().size() == 22);
  for (std::size_t i = 0; i < 22; ++i) {
    CHECK(s->variables()[i].name == "l" + std::to_string(i));
    CHECK(s->variables()[i].labels == kOps);
  }
  CHECK(s->size() == doctest::Approx(std::pow(9.0, 22)));
  CHECK(s->distinct_networks() == nine_to_the_22());
  CHECK(s->distinct_networks() == "984770902183611232881");
}

TEST_CASE("fbnet: block positions follow HW-NAS-Bench's CIFAR layout (stride 1 stem) and FBNet's ImageNet layout") {
  const auto c = space();
  CHECK(c->resolution() == 32);
  CHECK(c->classes() == 100);
  CHECK(c->head_width() == 1504);
  CHECK(c->stem_stride() == 1);
  const auto& p = c->positions();
  REQUIRE(p.size() == 22);
  CHECK(p[0].in == TensorShape{16, 32, 32});
  CHECK(p[0].out == TensorShape{16, 32, 32});
  CHECK(p[1].stride == 1);  // CIFAR keeps the second stage at stride 1
  CHECK(p[1].out == TensorShape{24, 32, 32});
  CHECK(p[5].stride == 2);
  CHECK(p[5].out == TensorShape{32, 16, 16});
  CHECK(p[9].out == TensorShape{64, 8, 8});
  CHECK(p[13].stride == 1);
  CHECK(p[13].out == TensorShape{112, 8, 8});
  CHECK(p[17].out == TensorShape{184, 4, 4});
  CHECK(p[21].in == TensorShape{184, 4, 4});
  CHECK(p[21].out == TensorShape{352, 4, 4});
  for (int i : {2, 3, 4, 6, 7, 8, 10, 11, 12, 14, 15, 16, 18, 19, 20}) {
    CHECK(p[i].stride == 1);
    CHECK(p[i].in == p[i].out);
  }

  const auto n = imagenet();
  CHECK(n->resolution() == 224);
  CHECK(n->classes() == 1000);
  CHECK(n->head_width() == 1984);
  CHECK(n->stem_stride() == 2);
  const auto& q = n->positions();
  CHECK(q[0].in == TensorShape{16, 112, 112});
  CHECK(q[1].stride == 2);
  CHECK(q[1].out == TensorShape{24, 56, 56});
  CHECK(q[5].out == TensorShape{32, 28, 28});
  CHECK(q[9].out == TensorShape{64, 14, 14});
  CHECK(q[13].out == TensorShape{112, 14, 14});
  CHECK(q[17].out == TensorShape{184, 7, 7});
  CHECK(q[21].out == TensorShape{352, 7, 7});
}

TEST_CASE("fbnet: every candidate at a shape-keeping block lowers to hand-counted MACs and parameters") {
  const auto s = space();
  // l6 (CIFAR): 32x16x16 -> 32x16x16, stride 1: 256 output positions.
  struct Expected {
    int64_t macs, params;
  };
  const Expected expected[] = {
      {32 * 32 * 256 + 9 * 32 * 256 + 32 * 32 * 256, (1024 + 64) + (288 + 64) + (1024 + 64)},      // k3_e1
      {16 * 32 * 256 + 9 * 32 * 256 + 16 * 32 * 256, (512 + 64) + (288 + 64) + (512 + 64)},        // k3_e1_g2
      {32 * 96 * 256 + 9 * 96 * 256 + 96 * 32 * 256, (3072 + 192) + (864 + 192) + (3072 + 64)},    // k3_e3
      {32 * 192 * 256 + 9 * 192 * 256 + 192 * 32 * 256, (6144 + 384) + (1728 + 384) + (6144 + 64)},  // k3_e6
      {32 * 32 * 256 + 25 * 32 * 256 + 32 * 32 * 256, (1024 + 64) + (800 + 64) + (1024 + 64)},     // k5_e1
      {16 * 32 * 256 + 25 * 32 * 256 + 16 * 32 * 256, (512 + 64) + (800 + 64) + (512 + 64)},       // k5_e1_g2
      {32 * 96 * 256 + 25 * 96 * 256 + 96 * 32 * 256, (3072 + 192) + (2400 + 192) + (3072 + 64)},  // k5_e3
      {32 * 192 * 256 + 25 * 192 * 256 + 192 * 32 * 256, (6144 + 384) + (4800 + 384) + (6144 + 64)},  // k5_e6
      {0, 0},                                                                                        // skip
  };
  for (int c = 0; c < 9; ++c) {
    CAPTURE(kOps[c]);
    const NetworkCost cost = block_cost(*s, 6, c);
    CHECK(cost.macs == expected[c].macs);
    CHECK(cost.params == expected[c].params);
  }
  CHECK(block_cost(*s, 6, 0).macs == 598016);
  CHECK(block_cost(*s, 6, 7).params == 17920);

  // Structure: expansion conv (kept at e = 1), shuffle for g2 only, depthwise,
  // projection without activation, identity shortcut.
  const auto plain = s->lower_block(6, 0);
  REQUIRE(plain.layers.size() == 4);
  CHECK(plain.layers[0].op == OpKind::Conv2d);
  CHECK(plain.layers[0].kernel == 1);
  CHECK(plain.layers[0].out.channels == 32);
  CHECK(plain.layers[0].activation == nasctl::ActivationKind::ReLU);
  CHECK(plain.layers[1].groups == 32);  // depthwise
  CHECK(plain.layers[1].kernel == 3);
  CHECK(plain.layers[2].activation == nasctl::ActivationKind::None);
  CHECK(plain.layers[2].batch_norm);
  CHECK(plain.layers[3].op == OpKind::Add);
  const auto grouped = s->lower_block(6, 5);
  REQUIRE(grouped.layers.size() == 5);
  CHECK(grouped.layers[0].groups == 2);
  CHECK(grouped.layers[1].op == OpKind::ChannelShuffle);
  CHECK(grouped.layers[1].groups == 2);
  CHECK(grouped.layers[2].kernel == 5);
  CHECK(grouped.layers[3].groups == 2);
  CHECK(count(s->lower_block(6, 3), OpKind::ChannelShuffle) == 0);
  CHECK(s->lower_block(6, kSkipIndex).layers.empty());
}

TEST_CASE("fbnet: at a down-sampling block the depthwise conv strides, no shortcut, and skip is a 1x1 conv + BN + ReLU") {
  const auto s = space();
  // l9 (CIFAR): 32x16x16 -> 64x8x8, stride 2; expansion at 16x16 (256), the rest at 8x8 (64).
  const NetworkCost skip = block_cost(*s, 9, kSkipIndex);
  CHECK(skip.macs == 32 * 64 * 64);
  CHECK(skip.params == 32 * 64 + 2 * 64);
  const auto skip_net = s->lower_block(9, kSkipIndex);
  REQUIRE(skip_net.layers.size() == 1);
  CHECK(skip_net.layers[0].stride == 2);
  CHECK(skip_net.layers[0].kernel == 1);
  CHECK(skip_net.layers[0].activation == nasctl::ActivationKind::ReLU);
  CHECK(skip_net.output() == TensorShape{64, 8, 8});

  const NetworkCost e6 = block_cost(*s, 9, 3);
  CHECK(e6.macs == 32 * 192 * 256 + 9 * 192 * 64 + 192 * 64 * 64);  // 2,469,888
  CHECK(e6.params == (6144 + 384) + (1728 + 384) + (192 * 64 + 128));
  const NetworkCost g2 = block_cost(*s, 9, 5);
  CHECK(g2.macs == 16 * 32 * 256 + 25 * 32 * 64 + 16 * 64 * 64);  // 247,808
  CHECK(g2.params == (512 + 64) + (800 + 64) + (1024 + 128));
  for (int c = 0; c < 8; ++c) {
    const auto net = s->lower_block(9, c);
    CHECK(count(net, OpKind::Add) == 0);
    CHECK(net.output() == TensorShape{64, 8, 8});
  }
  // l1 (CIFAR) changes the width at stride 1: no shortcut either, skip is a 1x1 conv.
  CHECK(count(s->lower_block(1, 0), OpKind::Add) == 0);
  CHECK(block_cost(*s, 1, kSkipIndex).macs == 16 * 24 * 1024);
}

TEST_CASE("fbnet: all-skip and all-k3_e1 networks have the hand-counted totals at both inputs") {
  const auto c = space();
  // All-skip CIFAR: stem, the six width-changing 1x1 convolutions, head, classifier.
  const NetworkCost skip = nasctl::count_cost(c->lower(Architecture(22, kSkipIndex)));
  CHECK(skip.macs == 27 * 16 * 1024 +
                         (16 * 24 * 1024 + 24 * 32 * 256 + 32 * 64 * 64 + 64 * 112 * 64 + 112 * 184 * 16 + 184 * 352 * 16) +
                         352 * 1504 * 16 + 1504 * 100);
  CHECK(skip.macs == 11608960);
  CHECK(skip.params == (432 + 32) +
                           ((384 + 48) + (768 + 64) + (2048 + 128) + (7168 + 224) + (20608 + 368) + (64768 + 704)) +
                           (352 * 1504 + 2 * 1504) + (1504 * 100 + 100));
  CHECK(skip.params == 780660);
  // Totals of the uniform networks (computed with the reference formula by hand, in Python, once).
  CHECK(nasctl::count_cost(c->lower(Architecture(22, 0))).macs == 31322240);
  CHECK(nasctl::count_cost(c->lower(Architecture(22, 0))).params == 1170676);
  const auto n = imagenet();
  CHECK(nasctl::count_cost(n->lower(Architecture(22, kSkipIndex))).macs == 49419136);
  CHECK(nasctl::count_cost(n->lower(Architecture(22, kSkipIndex))).params == 2785080);
  CHECK(nasctl::count_cost(n->lower(Architecture(22, 0))).macs == 118371152);
  CHECK(nasctl::count_cost(n->lower(Architecture(22, 0))).params == 3175096);
  // Every uniform network, at both inputs, against the formula.
  for (int op = 0; op < 9; ++op) {
    CAPTURE(kOps[op]);
    const Count rc = reference(Architecture(22, op), false, 100);
    const Count ri = reference(Architecture(22, op), true, 1000);
    CHECK(nasctl::count_cost(c->lower(Architecture(22, op))).macs == rc.macs);
    CHECK(nasctl::count_cost(c->lower(Architecture(22, op))).params == rc.params);
    CHECK(nasctl::count_cost(n->lower(Architecture(22, op))).macs == ri.macs);
    CHECK(nasctl::count_cost(n->lower(Architecture(22, op))).params == ri.params);
  }
}

TEST_CASE("fbnet: FBNet-B at ImageNet input is within 1% of the paper's 295M MACs") {
  // FBNet-B's blocks (Wu et al. 2019, Figure 4, as Facebook's
  // maskrcnn-benchmark fbnet_modeldef.py lists them); the paper reports 295M
  // FLOPs (multiply-adds) and 4.5M parameters. Our convention counts BN
  // affine pairs, so parameters come out higher (4.81M); MACs agree to 0.6%.
  const auto n = imagenet();
  const Architecture b = n->parse(
      "k3_e1|k3_e6|k5_e1|k3_e1|k3_e1|k5_e6|k5_e3|k3_e6|k5_e6|k5_e6|k5_e1|skip|k5_e3|k5_e6|k3_e1|k5_e1|k5_e3|k5_e6|k5_e1|"
      "k5_e6|k5_e6|k3_e6");
  const NetworkCost cost = nasctl::count_cost(n->lower(b));
  CHECK(cost.macs == 296614728);
  CHECK(std::abs(static_cast<double>(cost.macs) - 295e6) / 295e6 < 0.01);
  CHECK(cost.params == reference(b, true, 1000).params);
}

TEST_CASE("fbnet: random architectures pass check_network, and their counts equal the independent formula") {
  for (const bool inet : {false, true}) {
    const auto s = inet ? imagenet() : space();
    nasctl::Rng rng(inet ? 5 : 4);
    for (int i = 0; i < 150; ++i) {
      const Architecture a = s->sample(rng);
      const auto net = s->lower(a);
      CHECK_NOTHROW(nasctl::check_network(net));
      CHECK(net.input == TensorShape{3, inet ? 224 : 32, inet ? 224 : 32});
      CHECK(net.output() == TensorShape{inet ? 1000 : 100, 1, 1});
      const NetworkCost cost = nasctl::count_cost(net);
      const Count ref = reference(a, inet, inet ? 1000 : 100);
      CHECK(cost.macs == ref.macs);
      CHECK(cost.params == ref.params);
    }
  }
}

TEST_CASE("fbnet: config keys: input, classes defaulting by input, input_channels") {
  const auto c = space({{"classes", int64_t{10}}});
  CHECK(c->classes() == 10);
  CHECK(c->lower(Architecture(22, 0)).output() == TensorShape{10, 1, 1});
  const auto n = space({{"input", std::string("imagenet")}, {"classes", int64_t{100}}});
  CHECK(n->classes() == 100);
  const auto grey = space({{"input_channels", int64_t{1}}});
  const auto net = grey->lower(Architecture(22, 0));
  CHECK(net.input == TensorShape{1, 32, 32});
  CHECK(nasctl::count_cost(space()->lower(Architecture(22, 0))).params - nasctl::count_cost(net).params == 2 * 9 * 16);

  std::string e = error_of([&] { space({{"input", std::string("mnist")}}); });
  CHECK(e.find("key 'plugin.input'") != std::string::npos);
  CHECK(e.find("'mnist'") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
  e = error_of([&] { space({{"classes", int64_t{0}}}); });
  CHECK(e.find("key 'plugin.classes'") != std::string::npos);
  const auto keys = FbnetSpace::config_keys();
  REQUIRE(keys.size() == 3);
  CHECK(keys[0].name == "input");
  CHECK(keys[0].allowed == std::vector<std::string>{"cifar", "imagenet"});
  CHECK(keys[1].name == "classes");
  CHECK(keys[2].name == "input_channels");
}

TEST_CASE("fbnet: the op-list text form round-trips exactly and HW-NAS-Bench's lists parse to the same architecture") {
  const auto s = space();
  nasctl::Rng rng(3);
  for (int i = 0; i < 100; ++i) {
    const Architecture a = s->sample(rng);
    const std::string text = s->to_string(a);
    CHECK(std::count(text.begin(), text.end(), '|') == 21);
    CHECK(s->parse(text) == a);
    CHECK(s->to_string(s->parse(text)) == text);
  }
  Architecture mixed(22, 0);
  mixed[0] = 7;
  mixed[1] = kSkipIndex;
  mixed[2] = 1;
  mixed[21] = 5;
  const std::string text = s->to_string(mixed);
  CHECK(text.rfind("k5_e6|skip|k3_e1_g2|k3_e1|", 0) == 0);
  CHECK(text.size() - text.rfind('|') - 1 == std::string("k5_e1_g2").size());
  // HW-NAS-Bench's op_idx_list and arch_str.
  std::string idx = "[7, 8, 1";
  std::string names = "['k5_e6', 'skip', 'k3_e1_g2'";
  for (int i = 3; i < 21; ++i) {
    idx += ", 0";
    names += ", 'k3_e1'";
  }
  idx += ", 5]";
  names += ", 'k5_e1_g2']";
  CHECK(s->parse(idx) == mixed);
  CHECK(s->parse(names) == mixed);
  // Spaces around the separators are tolerated.
  std::string spaced = text;
  spaced.replace(spaced.find('|'), 1, " | ");
  CHECK(s->parse(spaced) == mixed);
}

TEST_CASE("fbnet: bad architecture strings give one line with the count or the op, and the fix") {
  const auto s = space();
  std::string e = error_of([&] { s->parse("k3_e1|skip|k5_e6"); });
  CHECK(e.find("has 3 blocks; the FBNet space needs 22") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  std::string long_text = s->to_string(Architecture(22, 0)) + "|skip";
  e = error_of([&] { s->parse(long_text); });
  CHECK(e.find("has 23 blocks; the FBNet space needs 22") != std::string::npos);
  e = error_of([&] { s->parse("[0, 1, 2]"); });
  CHECK(e.find("has 3 blocks; the FBNet space needs 22") != std::string::npos);
  e = error_of([&] { s->parse(""); });
  CHECK(e.find("is empty") != std::string::npos);

  std::string unknown = s->to_string(Architecture(22, 0));
  unknown.replace(unknown.find("k3_e1|k3_e1|k3_e1|k3_e1|k3_e1|k3_e1"), 5, "k7_e6");
  e = error_of([&] { s->parse(unknown); });
  CHECK(e.find("block l0 (entry 1) is 'k7_e6', not an FBNet operation") != std::string::npos);
  CHECK(e.find("fix: use one of k3_e1, k3_e1_g2, k3_e3, k3_e6, k5_e1, k5_e1_g2, k5_e3, k5_e6, skip") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  std::string empty_entry = s->to_string(Architecture(22, 0));
  empty_entry.replace(empty_entry.rfind("k3_e1"), 5, "");
  e = error_of([&] { s->parse(empty_entry); });
  CHECK(e.find("block l21 (entry 22) is ''") != std::string::npos);

  std::string idx = "[9";
  for (int i = 1; i < 22; ++i) idx += ", 0";
  e = error_of([&] { s->parse(idx + "]"); });
  CHECK(e.find("block l0 (entry 1) has op index 9") != std::string::npos);
  CHECK(e.find("fix: use 0..8") != std::string::npos);
  e = error_of([&] { s->parse(idx); });
  CHECK(e.find("does not end with ']'") != std::string::npos);
  // The choice vector is checked too.
  e = error_of([&] { s->lower(Architecture(21, 0)); });
  CHECK(e.find("21 choices; this space has 22 variables") != std::string::npos);
  e = error_of([&] { s->lower(Architecture(22, 9)); });
  CHECK(e.find("out of range 0..8") != std::string::npos);
}

TEST_CASE("fbnet: distinct_layers is exactly the set of layer keys the space's networks contain") {
  for (const bool inet : {false, true}) {
    const auto s = inet ? imagenet() : space();
    const std::vector<nasctl::Layer> layers = s->distinct_layers();
    std::set<std::string> enumerated;
    for (const auto& l : layers) CHECK(enumerated.insert(l.key()).second);  // each once

    std::set<std::string> seen;
    auto add = [&](const Architecture& a) {
      for (const auto& l : s->lower(a).layers) seen.insert(l.key());
    };
    for (int op = 0; op < 9; ++op) add(Architecture(22, op));
    // Uniform networks alone already hold every key: a random sample adds none.
    const std::set<std::string> uniform = seen;
    nasctl::Rng rng(inet ? 21 : 20);
    for (int i = 0; i < 300; ++i) add(s->sample(rng));
    CHECK(seen == uniform);
    CHECK(enumerated == seen);
    // Per position, 9 candidates: skip adds no layer at shape-keeping blocks;
    // the stem, head conv, pool and classifier are shared.
    CHECK(layers.size() > 100);
  }
}

TEST_CASE("fbnet: smallest and largest cannot be beaten by changing any one block") {
  for (const bool inet : {false, true}) {
    const auto s = inet ? imagenet() : space();
    const Architecture lo = s->smallest();
    const Architecture hi = s->largest();
    CHECK_NOTHROW(s->check(lo));
    CHECK_NOTHROW(s->check(hi));
    const NetworkCost lo_cost = nasctl::count_cost(s->lower(lo));
    const NetworkCost hi_cost = nasctl::count_cost(s->lower(hi));
    for (int i = 0; i < 22; ++i) {
      for (int c = 0; c < 9; ++c) {
        Architecture a = lo;
        a[i] = c;
        const NetworkCost x = nasctl::count_cost(s->lower(a));
        CHECK((x.macs > lo_cost.macs || (x.macs == lo_cost.macs && x.params >= lo_cost.params)));
        Architecture b = hi;
        b[i] = c;
        const NetworkCost y = nasctl::count_cost(s->lower(b));
        CHECK((y.macs < hi_cost.macs || (y.macs == hi_cost.macs && y.params <= hi_cost.params)));
      }
    }
    // The largest is k5_e6 everywhere. The smallest is skip except at the
    // stride-1 width changes l13 (64 -> 112) and l21 (184 -> 352), where
    // k3_e1_g2's grouped convolutions cost less than skip's full 1x1 conv.
    CHECK(hi == Architecture(22, 7));
    Architecture expected_lo(22, kSkipIndex);
    expected_lo[13] = expected_lo[21] = 1;
    CHECK(lo == expected_lo);
    CHECK(lo_cost.macs == (inet ? 48554776 : 11326720));
    nasctl::Rng rng(8);
    for (int i = 0; i < 50; ++i) {
      const NetworkCost r = nasctl::count_cost(s->lower(s->sample(rng)));
      CHECK(r.macs >= lo_cost.macs);
      CHECK(r.macs <= hi_cost.macs);
    }
  }
}
