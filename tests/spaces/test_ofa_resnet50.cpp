// The OFA ResNet50 space (plugins/spaces/ofa-resnet50): widths, lowering,
// counts against hand computation and against OFA's own code, text forms,
// canonicalisation, layer enumeration, size extremes, config errors, and a
// search through the nasctl binary.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "error_text.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "ofa_resnet50.hpp"
#include "plugin_config.hpp"
#include "temp_dir.hpp"

using nasctl::ActivationKind;
using nasctl::Architecture;
using nasctl::ConfigValue;
using nasctl::NetworkSpec;
using nasctl::OpKind;
using nasctl::TensorShape;
using nasctl::spaces::ofa_resnet50::OfaResNet50;
using nasctl::test::error_of;
using nasctl::test::make_plugin;

namespace {

using R50 = OfaResNet50;

// Widths worked out by hand from OFA's make_divisible (and checked with
// OFA's own functions): per width choice 0.65 / 0.8 / 1.0.
constexpr std::array<int64_t, 3> kStemMid{24, 24, 32};  // make_divisible(make_divisible(64 w) // 2)
constexpr std::array<int64_t, 3> kStemOut{40, 48, 64};  // make_divisible(64 w)
constexpr std::array<std::array<int64_t, 3>, 4> kWidth{{{168, 208, 256}, {336, 408, 512}, {664, 816, 1024},
                                                        {1328, 1640, 2048}}};
// make_divisible(round(width * e)) for e = 0.2, 0.25, 0.35: [stage][w][e].
constexpr std::array<std::array<std::array<int64_t, 3>, 3>, 4> kMid{{
    {{{32, 40, 56}, {40, 56, 72}, {48, 64, 88}}},
    {{{64, 88, 120}, {80, 104, 144}, {104, 128, 176}}},
    {{{136, 168, 232}, {160, 208, 288}, {208, 256, 360}}},
    {{{264, 336, 464}, {328, 408, 576}, {408, 512, 720}}},
}};
constexpr std::array<int, 4> kBase{2, 2, 4, 2};
constexpr std::array<int, 4> kFirstSlot{0, 4, 8, 14};

struct Counts {
  int64_t macs = 0;
  int64_t params = 0;
};

// The counting convention applied by hand, block by block, from the
// architecture's values (choice indices), without lower(): every conv is
// bias-free with BN (2 parameters per channel), MACs k*k*cin*cout*h*w; the
// classifier has a bias; pools, adds and activations are free.
Counts hand_count(const Architecture& a, int64_t resolution, int64_t classes = 1000) {
  Counts c;
  auto conv = [&](int64_t cin, int64_t cout, int64_t k, int64_t h) {
    c.macs += k * k * cin * cout * h * h;
    c.params += k * k * cin * cout + 2 * cout;
  };
  int64_t h = (resolution + 1) / 2;  // 3x3 stride 2, padding 1
  const int64_t m = kStemMid[a[R50::kWBase]];
  conv(3, m, 3, h);
  if (a[R50::kDBase] == 2) conv(m, m, 3, h);
  int64_t cin = kStemOut[a[R50::kWBase + 1]];
  conv(m, cin, 3, h);
  h = (h + 1) / 2;  // max pool 3x3 stride 2, padding 1
  for (int s = 0; s < 4; ++s) {
    const int w = a[R50::kWBase + 2 + s];
    const int64_t width = kWidth[s][w];
    for (int blk = 0; blk < kBase[s] + a[R50::kDBase + 1 + s]; ++blk) {
      const int64_t mid = kMid[s][w][a[R50::kEBase + kFirstSlot[s] + blk]];
      const int64_t hout = (blk == 0 && s > 0) ? (h + 1) / 2 : h;
      conv(cin, mid, 1, h);
      conv(mid, mid, 3, hout);
      conv(mid, width, 1, hout);
      if (blk == 0) conv(cin, width, 1, hout);  // downsample (after the avg-pool when strided)
      cin = width;
      h = hout;
    }
  }
  c.macs += cin * classes;
  c.params += cin * classes + classes;
  return c;
}

Architecture uniform(int d, int e, int w, int r = 0) {
  Architecture a(R50::kVariables, 0);
  for (int i = 0; i < R50::kDepthVars; ++i) a[R50::kDBase + i] = d;
  for (int i = 0; i < R50::kBlocks; ++i) a[R50::kEBase + i] = e;
  for (int i = 0; i < R50::kWidthVars; ++i) a[R50::kWBase + i] = w;
  a[R50::kRIndex] = r;
  return a;
}

std::vector<std::string> keys(const NetworkSpec& spec) {
  std::vector<std::string> out;
  for (const auto& l : spec.layers) out.push_back(l.key());
  return out;
}

int count_ops(const NetworkSpec& spec, OpKind op) {
  int n = 0;
  for (const auto& l : spec.layers) n += l.op == op;
  return n;
}

std::string config_error(const std::map<std::string, ConfigValue>& overrides) {
  try {
    make_plugin<OfaResNet50>(overrides);
  } catch (const nasctl::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("ofa-resnet50: widths follow OFA's make_divisible and round(out * e)") {
  using nasctl::spaces::ofa_resnet50::bottleneck_mid;
  using nasctl::spaces::ofa_resnet50::make_divisible;
  CHECK(make_divisible(41.6) == 40);
  CHECK(make_divisible(51.2) == 48);
  CHECK(make_divisible(20) == 24);
  CHECK(make_divisible(11) == 16);  // 8 < 0.9 * 11
  CHECK(bottleneck_mid(256, 35) == 88);  // round(89.6) = 90 -> 88
  CHECK(bottleneck_mid(168, 35) == 56);  // round(58.8) = 59 -> 56
  CHECK(bottleneck_mid(40, 25) == 16);   // round(10) = 10 -> 8, < 9 -> 16
  CHECK(bottleneck_mid(10, 25) == 8);    // round(2.5) = 2 (half to even) -> 8
  CHECK(bottleneck_mid(14, 25) == 8);    // round(3.5) = 4 -> 8
  const auto space = make_plugin<OfaResNet50>();
  CHECK(space->stem_mid_widths() == kStemMid);
  CHECK(space->stem_out_widths() == kStemOut);
  for (int s = 0; s < 4; ++s) {
    CHECK(space->stage_widths(s) == kWidth[s]);
    for (int w = 0; w < 3; ++w)
      for (int e = 0; e < 3; ++e) CHECK(space->mid(s, w, e) == kMid[s][w][e]);
  }
}

TEST_CASE("ofa-resnet50: the variables are DyNAS-T's d 5, e 18, w 6, then r") {
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{160, 224}}});
  const auto& vars = space->variables();
  REQUIRE(vars.size() == 30);
  CHECK(vars[0].name == "d0");
  CHECK(vars[0].labels == std::vector<std::string>{"0", "1", "2"});
  CHECK(vars[5].name == "e0");
  CHECK(vars[5].labels == std::vector<std::string>{"0.2", "0.25", "0.35"});
  CHECK(vars[22].name == "e17");
  CHECK(vars[23].name == "w0");
  CHECK(vars[28].name == "w5");
  CHECK(vars[29].name == "r");
  CHECK(vars[29].labels == std::vector<std::string>{"160", "224"});
}

TEST_CASE("ofa-resnet50: random networks pass check_network, at even and odd map sizes") {
  nasctl::Rng rng(11);
  const auto space =
      make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{128, 132, 148, 176, 200, 224}}});
  for (int i = 0; i < 600; ++i) {
    const Architecture a = space->sample(rng);
    const NetworkSpec spec = space->lower(a);
    CHECK_NOTHROW(nasctl::check_network(spec));
    CHECK(spec.output() == TensorShape{1000, 1, 1});
  }
}

TEST_CASE("ofa-resnet50: MACs and parameters equal the hand count, smallest, largest and random") {
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{128, 132, 224}}});
  const Architecture smallest = uniform(0, 0, 0, 0);
  const Architecture largest = uniform(2, 2, 2, 2);
  const auto small = nasctl::count_cost(space->lower(smallest));
  const auto large = nasctl::count_cost(space->lower(largest));
  const Counts hs = hand_count(smallest, 128);
  const Counts hl = hand_count(largest, 224);
  CHECK(small.macs == hs.macs);
  CHECK(small.params == hs.params);
  CHECK(large.macs == hl.macs);
  CHECK(large.params == hl.params);
  // The smallest network's classifier alone: 1328 * 1000 + 1000 parameters.
  CHECK(hs.params > 1328 * 1000 + 1000);
  nasctl::Rng rng(5);
  for (int i = 0; i < 300; ++i) {
    const Architecture a = space->sample(rng);
    const auto c = nasctl::count_cost(space->lower(a));
    const Counts h = hand_count(a, space->resolutions()[a[R50::kRIndex]]);
    CHECK(c.macs == h.macs);
    CHECK(c.params == h.params);
  }
}

// Reference counts from OFA's own code: the once-for-all repository's ofa/
// package (commit f03b267), OFAResNets(n_classes=1000, dropout_rate=0,
// depth_list=[0, 1, 2], expand_ratio_list=[0.2, 0.25, 0.35],
// width_mult_list=[0.65, 0.8, 1.0]); set_active_subnet(**cfg),
// get_active_subnet(preserve_weight=False); parameters = the sum of
// numel() over subnet.parameters() (what ofa.utils.flops_counter.profile
// reports); MACs = profile()'s formula (cin * output elements * k*k / groups
// per nn.Conv2d, in * out per nn.Linear: our convention) summed by forward
// hooks in Python integers over a (1, 3, r, r) input, because profile() sums
// in float32 and is off by up to 1,536 for the larger networks. Run with
// Debian's python3-torch 1.13; the module's output was (1, 1000) each time.
TEST_CASE("ofa-resnet50: counts equal OFA's own profile() of the same sub-networks") {
  struct Ref {
    const char* dynast;
    int64_t macs;
    int64_t params;
  };
  const std::vector<Ref> refs = {
      {"{'d': [0, 0, 0, 0, 0], 'e': [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, "
       "0.2, 0.2], 'w': [0, 0, 0, 0, 0, 0], 'r': [128]}",
       315079552, 6539280},
      {"{'d': [0, 0, 0, 0, 0], 'e': [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, "
       "0.2, 0.2], 'w': [0, 0, 0, 0, 0, 0], 'r': [224]}",
       962192128, 6539280},
      {"{'d': [2, 2, 2, 2, 2], 'e': [0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, "
       "0.35, 0.35, 0.35, 0.35, 0.35], 'w': [2, 2, 2, 2, 2, 2], 'r': [224]}",
       7491643904, 48105992},
      {"{'d': [2, 1, 0, 2, 1], 'e': [0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, "
       "0.2, 0.25, 0.35, 0.2], 'w': [1, 0, 2, 1, 0, 2], 'r': [224]}",
       2917101120, 22347264},
      {"{'d': [0, 2, 2, 0, 0], 'e': [0.35, 0.35, 0.2, 0.2, 0.25, 0.25, 0.35, 0.2, 0.2, 0.35, 0.25, 0.2, 0.35, 0.25, "
       "0.2, 0.2, 0.35, 0.25], 'w': [2, 2, 0, 1, 2, 1], 'r': [160]}",
       1386019200, 13173144},
      {"{'d': [1, 0, 1, 2, 2], 'e': [0.2, 0.25, 0.35, 0.35, 0.25, 0.2, 0.2, 0.2, 0.35, 0.35, 0.35, 0.35, 0.25, 0.2, "
       "0.25, 0.35, 0.2, 0.25], 'w': [0, 1, 1, 2, 0, 2], 'r': [132]}",
       1283654944, 27597648},
      {"{'d': [2, 2, 1, 1, 0], 'e': [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, "
       "0.25, 0.25, 0.25, 0.25, 0.25], 'w': [2, 0, 1, 1, 2, 0], 'r': [176]}",
       1847803776, 13107384},
  };
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{128, 132, 160, 176, 224}}});
  for (const Ref& ref : refs) {
    CAPTURE(ref.dynast);
    const Architecture a = space->parse(ref.dynast);
    const auto c = nasctl::count_cost(space->lower(a));
    CHECK(c.macs == ref.macs);
    CHECK(c.params == ref.params);
    const Counts h = hand_count(a, space->resolutions()[a[R50::kRIndex]]);
    CHECK(h.macs == ref.macs);
    CHECK(h.params == ref.params);
  }
}

TEST_CASE("ofa-resnet50: stem, max pool, stage shapes 56/28/14/7 and the bottleneck structure") {
  const auto space = make_plugin<OfaResNet50>();
  Architecture a = uniform(1, 1, 1);
  a[R50::kDBase] = 2;  // keep the stem's residual block
  const NetworkSpec spec = space->lower(a);
  CHECK(spec.input == TensorShape{3, 224, 224});
  const auto& L = spec.layers;
  REQUIRE(L.size() > 8);
  CHECK(L[0].op == OpKind::Conv2d);
  CHECK(L[0].kernel == 3);
  CHECK(L[0].stride == 2);
  CHECK(L[0].out == TensorShape{24, 112, 112});
  CHECK(L[0].batch_norm);
  CHECK(L[0].activation == ActivationKind::ReLU);
  CHECK(L[1].op == OpKind::Conv2d);
  CHECK(L[1].out == TensorShape{24, 112, 112});
  CHECK(L[2].op == OpKind::Add);  // stem residual: no activation after the sum
  CHECK(L[2].inputs == std::vector<int>{1, 0});
  CHECK(L[3].op == OpKind::Conv2d);
  CHECK(L[3].out == TensorShape{48, 112, 112});
  CHECK(L[4].op == OpKind::MaxPool2d);
  CHECK(L[4].kernel == 3);
  CHECK(L[4].stride == 2);
  CHECK(L[4].padding == 1);
  CHECK(L[4].out == TensorShape{48, 56, 56});
  // Every block ends in Add then ReLU; stage outputs.
  std::vector<TensorShape> block_outputs;
  for (std::size_t i = 0; i + 1 < L.size(); ++i) {
    if (L[i].op != OpKind::Add || i == 2) continue;
    REQUIRE(L[i + 1].op == OpKind::Activation);
    CHECK(L[i + 1].activation == ActivationKind::ReLU);
    if (block_outputs.empty() || block_outputs.back() != L[i].out) block_outputs.push_back(L[i].out);
  }
  CHECK(block_outputs ==
        std::vector<TensorShape>{{208, 56, 56}, {408, 28, 28}, {816, 14, 14}, {1640, 7, 7}});
  CHECK(count_ops(spec, OpKind::Add) == 1 + (3 + 3 + 5 + 3));
  // Avg-pool only on the first block of the strided stages.
  CHECK(count_ops(spec, OpKind::AvgPool2d) == 3);
  for (const auto& l : L) {
    if (l.op != OpKind::AvgPool2d) continue;
    CHECK(l.kernel == 2);
    CHECK(l.stride == 2);
    CHECK(l.padding == 0);  // even maps at 224
  }
  CHECK(L.back().op == OpKind::Linear);
  CHECK(L.back().bias);
  CHECK(L.back().in.channels == 1640);
  CHECK(L[L.size() - 2].op == OpKind::GlobalAvgPool);

  // The first block of stage 2 (stride 2): downsample avg-pool + 1x1 conv
  // from the block input, then 1x1 -> 3x3 stride 2 -> 1x1; the stride is on
  // the 3x3.
  for (std::size_t i = 0; i < L.size(); ++i) {
    if (L[i].op != OpKind::AvgPool2d) continue;
    CHECK(L[i].in == TensorShape{208, 56, 56});
    CHECK(L[i + 1].op == OpKind::Conv2d);
    CHECK(L[i + 1].kernel == 1);
    CHECK(L[i + 1].activation == ActivationKind::None);
    CHECK(L[i + 1].out == TensorShape{408, 28, 28});
    CHECK(L[i + 2].kernel == 1);
    CHECK(L[i + 2].stride == 1);
    CHECK(L[i + 2].inputs == L[i].inputs);
    CHECK(L[i + 2].out == TensorShape{104, 56, 56});
    CHECK(L[i + 3].kernel == 3);
    CHECK(L[i + 3].stride == 2);
    CHECK(L[i + 3].out == TensorShape{104, 28, 28});
    CHECK(L[i + 4].out == TensorShape{408, 28, 28});
    CHECK(L[i + 4].activation == ActivationKind::None);
    CHECK(L[i + 5].op == OpKind::Add);
    CHECK(L[i + 5].inputs == std::vector<int>{static_cast<int>(i + 4), static_cast<int>(i + 1)});
    break;
  }
}

TEST_CASE("ofa-resnet50: at r = 132 the odd 33x33 map is pooled to 17x17 like the strided conv") {
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{132}}});
  const NetworkSpec spec = space->lower(uniform(0, 0, 0));
  std::vector<std::pair<int64_t, int64_t>> pools;  // (in, out) heights
  for (const auto& l : spec.layers)
    if (l.op == OpKind::AvgPool2d) pools.push_back({l.in.height, l.out.height});
  CHECK(pools == std::vector<std::pair<int64_t, int64_t>>{{33, 17}, {17, 9}, {9, 5}});
  CHECK_NOTHROW(nasctl::check_network(spec));
}

TEST_CASE("ofa-resnet50: depth: d[0] = 2 keeps the stem block, stages use base + d blocks") {
  const auto space = make_plugin<OfaResNet50>();
  for (int d0 = 0; d0 < 3; ++d0) {
    Architecture a = uniform(0, 0, 0);
    a[R50::kDBase] = d0;
    const NetworkSpec spec = space->lower(a);
    CHECK(count_ops(spec, OpKind::Add) == (d0 == 2 ? 1 : 0) + 10);
  }
  Architecture a = uniform(0, 0, 0);
  const std::array<int, 4> d{2, 0, 1, 2};
  for (int s = 0; s < 4; ++s) a[R50::kDBase + 1 + s] = d[s];
  CHECK(count_ops(space->lower(a), OpKind::Add) == (2 + 2) + 2 + (4 + 1) + (2 + 2));
}

TEST_CASE("ofa-resnet50: the classes key sets the classifier") {
  const auto space = make_plugin<OfaResNet50>({{"classes", int64_t{10}}});
  CHECK(space->lower(uniform(0, 0, 0)).output() == TensorShape{10, 1, 1});
  CHECK(nasctl::count_cost(space->lower(uniform(0, 0, 0))).params == hand_count(uniform(0, 0, 0), 224, 10).params);
}

TEST_CASE("ofa-resnet50: canonicalize merges exactly the settings that give the same network") {
  const auto space = make_plugin<OfaResNet50>();
  Architecture a = uniform(0, 0, 0);  // every stage at its base depth: slots 2, 3 / 6, 7 / 12, 13 / 16, 17 unused
  Architecture b = a;
  b[R50::kEBase + 3] = 2;
  b[R50::kEBase + 17] = 1;
  b[R50::kDBase] = 1;  // OFA skips the stem block unless d[0] = 2
  b[R50::kWBase] = 1;  // 0.8 gives the stem 24 channels, as 0.65 does
  CHECK(space->canonicalize(b) == a);
  CHECK(space->to_string(b) == space->to_string(a));
  CHECK(space->encode(b) == space->encode(a));
  // Active settings are kept.
  Architecture c = a;
  c[R50::kEBase + 1] = 2;
  c[R50::kWBase] = 2;
  c[R50::kDBase] = 2;
  CHECK(space->canonicalize(c) == c);
  // For random architectures: canonical and original lower to the same
  // layers, and a canonical one is a fixed point.
  nasctl::Rng rng(21);
  for (int i = 0; i < 300; ++i) {
    const Architecture x = space->sample(rng);
    const Architecture y = space->canonicalize(x);
    CHECK(keys(space->lower(x)) == keys(space->lower(y)));
    CHECK(space->canonicalize(y) == y);
  }
}

TEST_CASE("ofa-resnet50: distinct networks counts canonical classes") {
  // Stem: 2 (block kept or not) x 2 (24 or 32 channels) x 3; a stage of base
  // depth b: 3 widths x (3^b + 3^(b+1) + 3^(b+2)) expand settings.
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{192, 224}}});
  // 12 * 351^3 * 3159 * 2, worked out separately.
  CHECK(space->distinct_networks() == "3278553062616");
  // The stem's 27 (d0, w0, w1) settings give 12 classes.
  std::set<Architecture> classes;
  for (int d0 = 0; d0 < 3; ++d0)
    for (int w0 = 0; w0 < 3; ++w0)
      for (int w1 = 0; w1 < 3; ++w1) {
        Architecture a = uniform(0, 0, 0);
        a[R50::kDBase] = d0;
        a[R50::kWBase] = w0;
        a[R50::kWBase + 1] = w1;
        classes.insert(space->canonicalize(a));
      }
  CHECK(classes.size() == 12);
}

TEST_CASE("ofa-resnet50: the canonical text round-trips and reads as documented") {
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{160, 224}}});
  Architecture a = uniform(0, 0, 0, 1);
  a[R50::kDBase] = 2;
  a[R50::kDBase + 3] = 1;  // stage 3: 5 blocks
  a[R50::kEBase + 0] = 2;
  a[R50::kEBase + 12] = 1;
  a[R50::kWBase + 5] = 2;
  const std::string text = space->to_string(a);
  CHECK(text ==
        "d=2,0,0,1,0;e=0.35,0.2,-,-,0.2,0.2,-,-,0.2,0.2,0.2,0.2,0.25,-,0.2,0.2,-,-;w=0,0,0,0,0,2;r=224");
  CHECK(space->parse(text) == a);
  nasctl::Rng rng(9);
  for (int i = 0; i < 500; ++i) {
    const Architecture x = space->sample(rng);
    const std::string s = space->to_string(x);
    CHECK(space->parse(s) == space->canonicalize(x));
    CHECK(space->to_string(space->parse(s)) == s);
    CHECK(space->parse(space->to_dynast(x)) == space->canonicalize(x));
  }
  // Unused slots may carry values; spaces and other spellings of e are read.
  CHECK(space->parse(" d = 2,0,0,1,0 ; e=.35,0.2,0.25,0.35,0.2,0.20,0.2,0.2,0.2,0.2,0.2,0.2,0.25,0.35,0.2,0.2,0.2,0.2;"
                     "w=0,0,0,0,0,2;r=224 ") == a);
}

TEST_CASE("ofa-resnet50: DyNAS-T's dict string is accepted, with or without r") {
  const auto space = make_plugin<OfaResNet50>();
  const std::string dynast =
      "{'d': [2, 1, 0, 2, 1], 'e': [0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, "
      "0.2, 0.25, 0.35, 0.2], 'w': [1, 0, 2, 1, 0, 2], 'r': [224]}";
  const Architecture a = space->parse(dynast);
  // w[0] = 1 reads as 0: the stem's first convs have 24 channels with either.
  CHECK(space->to_string(a) ==
        "d=2,1,0,2,1;e=0.25,0.35,0.2,-,0.35,0.2,-,-,0.2,0.25,0.35,0.2,0.25,0.35,0.2,0.25,0.35,-;w=0,0,2,1,0,2;r=224");
  CHECK(space->to_dynast(a) ==
        "{'d': [2, 1, 0, 2, 1], 'e': [0.25, 0.35, 0.2, 0.2, 0.35, 0.2, 0.2, 0.2, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, "
        "0.25, 0.35, 0.2], 'w': [0, 0, 2, 1, 0, 2], 'r': [224]}");
  // DyNAS-T's own evaluation passes the dict without 'r' (a one-resolution space reads it) and in any key order.
  CHECK(space->parse("{\"w\": [1, 0, 2, 1, 0, 2], \"e\": [0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, "
                     "0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2], \"d\": [2, 1, 0, 2, 1],}") == a);
  CHECK(space->parse("{'d': [2, 1, 0, 2, 1], 'e': [0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, "
                     "0.25, 0.35, 0.2, 0.25, 0.35, 0.2], 'w': [1, 0, 2, 1, 0, 2], 'r': 224}") == a);
  const auto two = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{192, 224}}});
  CHECK(contains(error_of([&] { two->parse("{'d': [0,0,0,0,0], 'e': [0.2], 'w': [0,0,0,0,0,0]}"); }),
                 "missing key 'r'"));
}

TEST_CASE("ofa-resnet50: bad architecture text names the variable, position, value and allowed set") {
  const auto space = make_plugin<OfaResNet50>();
  const std::string e18 = "0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2";
  auto err = [&](const std::string& text) {
    std::string message;
    try {
      space->parse(text);
      message = "no error";
    } catch (const nasctl::ArchitectureError& e) {
      message = e.what();
    }
    CAPTURE(text);
    CAPTURE(message);
    CHECK(contains(message, "expected 'd=<5 of 0|1|2>;e=<18 of 0.2|0.25|0.35"));
    return message;
  };
  CHECK(contains(err("d=0,0,0,0;e=" + e18 + ";w=0,0,0,0,0,0;r=224"), "d has 4 values, expected 5"));
  CHECK(contains(err("d=0,0,0,0,0;e=0.2,0.2;w=0,0,0,0,0,0;r=224"), "e has 2 values, expected 18"));
  CHECK(contains(err("d=0,0,0,0,0;e=" + e18 + ";w=0,0,0,0,0,0,0;r=224"), "w has 7 values, expected 6"));
  CHECK(contains(err("d=0,0,3,0,0;e=" + e18 + ";w=0,0,0,0,0,0;r=224"), "d[2] = 3 is not one of {0, 1, 2}"));
  CHECK(contains(err("d=0,0,0,0,0;e=0.2,0.3," + e18.substr(8) + ";w=0,0,0,0,0,0;r=224"),
                 "e[1] = 0.3 is not one of {0.2, 0.25, 0.35}"));
  CHECK(contains(err("d=0,0,0,0,0;e=0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.333;"
                     "w=0,0,0,0,0,0;r=224"),
                 "e[17] = 0.333 is not one of {0.2, 0.25, 0.35}"));
  CHECK(contains(err("d=0,0,0,0,0;e=" + e18 + ";w=0,0,0,0,3,0;r=224"), "w[4] = 3 is not one of {0, 1, 2}"));
  CHECK(contains(err("d=0,0,0,0,0;e=" + e18 + ";w=0,0,0,0,0,0;r=200"), "r = 200 is not one of this space's"));
  CHECK(contains(err("d=0,0,0,0,0;e=-," + e18.substr(4) + ";w=0,0,0,0,0,0;r=224"),
                 "e[0] is '-' but slot 0 is used (stage 1 has 2 blocks, d[1] = 0)"));
  CHECK(contains(err("d=0,0,0,0,0;e=" + e18 + ";w=0,0,0,0,0,0;x=1"), "unknown key 'x'"));
  CHECK(contains(err("d=0,0,0,0,0;e=" + e18 + ";w=0,0,0,0,0,0"), "missing 'r='"));
  CHECK(contains(err("d=0,0,zero,0,0;e=" + e18 + ";w=0,0,0,0,0,0;r=224"), "d[2] = 'zero' is not an integer"));
  CHECK(contains(err("d=0,0,0,0,0;e=" + e18 + ";w=0,0,0,-,0,0;r=224"), "w[3] is '-'"));
  CHECK(contains(err("{'d': [0, 0, 0, 0, 0], 'e': [0.2], 'w': [0, 0, 0, 0, 0, 0], 'r': [224]}"),
                 "e has 1 values, expected 18"));
  CHECK(contains(err("{'d': [0, 0, 0, 0, 0], 'e': [" + e18.substr(4) + ",0.5], 'w': [0, 0, 0, 0, 0, 0], 'r': [224]}"),
                 "e[17] = 0.5 is not one of {0.2, 0.25, 0.35}"));
  CHECK(contains(err("{'d': [0, 0, 0, 0, 0], 'e': [0.2, 0.2x], 'w': [0, 0, 0, 0, 0, 0], 'r': [224]}"),
                 "'e'[1] = '0.2x' is not a number"));
  CHECK(contains(err("{'d': [0, 0, 0, 0, 0], 'ks': [3], 'w': [0, 0, 0, 0, 0, 0]}"), "unknown key 'ks'"));
  CHECK(contains(err("{'d': [0, 0, 0, 0, 0] 'e': []}"), "expected ',' or '}'"));
  CHECK(contains(err(""), "is empty"));
}

TEST_CASE("ofa-resnet50: distinct_layers is exactly the union of the layers of lowered networks") {
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{132, 224}}});
  const std::vector<nasctl::Layer> layers = space->distinct_layers();
  std::set<std::string> enumerated;
  for (const auto& l : layers) CHECK(enumerated.insert(l.key()).second);  // each once
  std::set<std::string> seen;
  auto add = [&](const Architecture& a) {
    for (const auto& k : keys(space->lower(a))) seen.insert(k);
  };
  nasctl::Rng rng(17);
  for (int i = 0; i < 4000; ++i) add(space->sample(rng));
  for (int r = 0; r < 2; ++r)
    for (int v = 0; v < 3; ++v) add(uniform(v, v, v, r));
  add(space->smallest());
  add(space->largest());
  CHECK(seen.size() == enumerated.size());
  CHECK(seen == enumerated);
  // Deterministic order.
  std::vector<std::string> again;
  for (const auto& l : space->distinct_layers()) again.push_back(l.key());
  std::vector<std::string> first;
  for (const auto& l : layers) first.push_back(l.key());
  CHECK(again == first);
}

TEST_CASE("ofa-resnet50: smallest and largest: no single-variable change goes below or above them") {
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{160, 128, 224}}});
  const Architecture lo = space->smallest();
  const Architecture hi = space->largest();
  CHECK_NOTHROW(space->check(lo));
  CHECK_NOTHROW(space->check(hi));
  CHECK(space->resolutions()[lo[R50::kRIndex]] == 128);
  CHECK(space->resolutions()[hi[R50::kRIndex]] == 224);
  const auto lo_cost = nasctl::count_cost(space->lower(lo));
  const auto hi_cost = nasctl::count_cost(space->lower(hi));
  CHECK(lo_cost.macs == hand_count(uniform(0, 0, 0), 128).macs);
  CHECK(hi_cost.macs == hand_count(uniform(2, 2, 2), 224).macs);
  const auto& vars = space->variables();
  for (std::size_t i = 0; i < vars.size(); ++i) {
    for (int c = 0; c < vars[i].cardinality(); ++c) {
      Architecture x = lo;
      x[i] = c;
      const auto cx = nasctl::count_cost(space->lower(x));
      CHECK(cx.macs >= lo_cost.macs);
      if (cx.macs == lo_cost.macs) CHECK(cx.params >= lo_cost.params);
      Architecture y = hi;
      y[i] = c;
      const auto cy = nasctl::count_cost(space->lower(y));
      CHECK(cy.macs <= hi_cost.macs);
      if (cy.macs == hi_cost.macs) CHECK(cy.params <= hi_cost.params);
    }
  }
}

TEST_CASE("ofa-resnet50: the encoding has the generic length and ignores unused slots") {
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{192, 224}}});
  nasctl::Rng rng(3);
  for (int i = 0; i < 100; ++i) {
    const Architecture a = space->sample(rng);
    const std::vector<double> x = space->encode(a);
    REQUIRE(x.size() == space->encoding_size());
    double ones = 0;
    for (double v : x) ones += v;
    int active = 0;
    for (int s = 0; s < 4; ++s) active += R50::depth(a, s);
    CHECK(ones == doctest::Approx(5 + active + 6 + 1));
  }
}

TEST_CASE("ofa-resnet50: config errors name the key") {
  for (int64_t bad : {130, 124, 228}) {
    const std::string message = config_error({{"resolutions", std::vector<int64_t>{224, bad}}});
    CHECK(contains(message, "key 'plugin.resolutions'"));
    CHECK(contains(message, std::to_string(bad)));
  }
  CHECK(contains(config_error({{"resolutions", std::vector<int64_t>{}}}), "is empty"));
  CHECK(contains(config_error({{"resolutions", std::vector<int64_t>{224, 224}}}), "twice"));
  CHECK(contains(config_error({{"classes", int64_t{0}}}), "key 'plugin.classes'"));
}

TEST_CASE("ofa-resnet50: a search with the analytic model runs end to end through nasctl") {
  nasctl::test::TempDir dir("ofa-resnet50-search");
  nasctl::test::write_text(dir / "cfg.toml", R"(seed = 3

[space]
plugin = "ofa-resnet50"
resolutions = [160, 192, 224]

[search]
plugin = "nsga2"
population = 8

[budget]
evaluations = 30

[run]
threads = 2

[[hardware]]
name = "cost"
plugin = "analytic"

[[objectives]]
metric = "cost.macs"
goal = "min"

[[objectives]]
metric = "cost.params"
goal = "max"
)");
  const auto r = nasctl::test::run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "run", "--no-progress"});
  CAPTURE(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "evaluation budget reached after 30 evaluations"));
  const nasctl::CsvTable csv = nasctl::read_csv(dir / "run/evaluations.csv");
  REQUIRE(csv.rows.size() == 30);
  const std::size_t arch_col = csv.column("arch");
  const std::size_t macs_col = csv.column("cost.macs");
  const std::size_t params_col = csv.column("cost.params");
  const auto space = make_plugin<OfaResNet50>({{"resolutions", std::vector<int64_t>{160, 192, 224}}});
  std::set<std::string> archs;
  for (const auto& row : csv.rows) {
    CAPTURE(row[arch_col]);
    const Architecture a = space->parse(row[arch_col]);  // the canonical text
    CHECK(space->to_string(a) == row[arch_col]);
    CHECK(archs.insert(row[arch_col]).second);
    const Counts h = hand_count(a, space->resolutions()[a[R50::kRIndex]]);
    CHECK(std::stod(row[macs_col]) == doctest::Approx(static_cast<double>(h.macs)));
    CHECK(std::stod(row[params_col]) == doctest::Approx(static_cast<double>(h.params)));
  }
}
