// NAS-Bench-201 (plugins/spaces/nasbench201): its variables and string
// forms, the pruned lowering against hand-counted MACs and parameters, and
// brute force over all 15,625 architectures for consistency, canonical
// classes, layer enumeration and size extremes. Expected costs come from
// formulas written here, not from the space's code.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "error_text.hpp"
#include "nasbench201_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "plugin_config.hpp"

using namespace nasctl;
using nasctl::spaces::nasbench201::NasBench201;
using nasctl::test::error_of;
using nasctl::test::make_plugin;

namespace {

constexpr const char* kMixed = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|";
constexpr const char* kAllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
constexpr const char* kAllSkip = "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";
constexpr const char* kAllConv3 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
constexpr const char* kPassThrough = "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|";

// Edge (to <- from) order of the choice vector.
constexpr std::array<int, 6> kTo{1, 2, 2, 3, 3, 3};
constexpr std::array<int, 6> kFrom{0, 0, 1, 0, 1, 2};
enum Op { None = 0, Skip = 1, Conv1 = 2, Conv3 = 3, Pool = 4 };

std::vector<Architecture> every_architecture() {
  std::vector<Architecture> all;
  for (int index = 0; index < 15625; ++index) {
    Architecture a(6);
    for (int e = 5, rest = index; e >= 0; --e, rest /= 5) a[e] = rest % 5;
    all.push_back(a);
  }
  return all;
}

// Live edges by paths: an edge (j <- i) computes something the output needs
// iff its op is not `none` and it lies on a path of non-`none` edges from
// node 0 to node 3.
std::array<bool, 6> live_by_paths(const Architecture& a) {
  std::array<bool, 4> from_input{true, false, false, false};
  for (int e = 0; e < 6; ++e) {  // edges are in target order, so one pass suffices
    if (a[e] != None && from_input[kFrom[e]]) from_input[kTo[e]] = true;
  }
  std::array<bool, 4> to_output{false, false, false, true};
  for (int e = 5; e >= 0; --e) {  // reverse target order: targets settle before sources
    if (a[e] != None && to_output[kTo[e]]) to_output[kFrom[e]] = true;
  }
  std::array<bool, 6> live{};
  for (int e = 0; e < 6; ++e) live[e] = a[e] != None && from_input[kFrom[e]] && to_output[kTo[e]];
  return live;
}

bool output_connected(const Architecture& a) {
  const auto live = live_by_paths(a);
  return std::any_of(live.begin(), live.end(), [](bool b) { return b; });
}

struct Cost {
  int64_t macs = 0;
  int64_t params = 0;
  Cost& operator+=(const Cost& o) {
    macs += o.macs;
    params += o.params;
    return *this;
  }
};

// k x k convolution, "same" padding, at output size hout x hout.
Cost conv(int64_t k, int64_t cin, int64_t cout, int64_t hout, bool bn) {
  return {k * k * cin * cout * hout * hout, k * k * cin * cout + (bn ? 2 * cout : 0)};
}

struct Setup {
  int64_t c = 16, size = 32, n = 5, classes = 10, in = 3;
};

// Stem, two ResNet reduction blocks, BN + ReLU + pool + linear.
Cost skeleton(const Setup& s) {
  Cost cost = conv(3, s.in, s.c, s.size, true);
  for (int stage = 1; stage < 3; ++stage) {
    const int64_t cin = s.c << (stage - 1), cout = s.c << stage, h = s.size >> stage;
    cost += conv(3, cin, cout, h, true);   // ReLU-conv3x3 s2-BN
    cost += conv(3, cout, cout, h, true);  // ReLU-conv3x3-BN
    cost += conv(1, cin, cout, h, false);  // shortcut: avg-pool 2x2 s2, conv1x1
  }
  const int64_t last = s.c << 2;
  cost += Cost{0, 2 * last};                                   // BN
  cost += Cost{last * s.classes, last * s.classes + s.classes};  // linear with bias
  return cost;
}

// The whole network: the skeleton plus N cells per stage, each paying for
// its live convolutions (skip, pool and sums are free by the convention).
Cost expected_cost(const Architecture& a, const Setup& s = {}) {
  Cost cost = skeleton(s);
  const auto live = live_by_paths(a);
  for (int stage = 0; stage < 3; ++stage) {
    const int64_t c = s.c << stage, h = s.size >> stage;
    for (int e = 0; e < 6; ++e) {
      if (!live[e]) continue;
      Cost edge;
      if (a[e] == Conv3) edge = conv(3, c, c, h, true);
      if (a[e] == Conv1) edge = conv(1, c, c, h, true);
      edge.macs *= s.n;
      edge.params *= s.n;
      cost += edge;
    }
  }
  return cost;
}

// Everything that makes two lowered networks the same network.
std::string fingerprint(const NetworkSpec& spec) {
  std::string f;
  for (const Layer& l : spec.layers) {
    f += l.key();
    for (int in : l.inputs) f += ',' + std::to_string(in);
    f += ';';
  }
  return f;
}

}  // namespace

TEST_CASE("nasbench201 has one variable per edge, named target<-source, with the five operations in NAS-Bench-201's order") {
  const auto space = make_plugin<NasBench201>();
  const auto& vars = space->variables();
  REQUIRE(vars.size() == 6);
  const std::vector<std::string> names{"1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"};
  for (std::size_t i = 0; i < vars.size(); ++i) {
    CHECK(vars[i].name == names[i]);
    CHECK(vars[i].labels ==
          std::vector<std::string>{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"});
  }
  CHECK(space->size() == 15625.0);
}

TEST_CASE("the NAS-Bench-201 string parses edge by edge and is the canonical text form") {
  const auto space = make_plugin<NasBench201>();
  const Architecture mixed = space->parse(kMixed);
  CHECK(mixed == Architecture{Conv3, Skip, Conv1, Pool, None, Conv3});
  CHECK(space->to_string(mixed) == kMixed);
  // A node's edges may come in any order; surrounding blanks are ignored.
  CHECK(space->parse("  |nor_conv_3x3~0|+|nor_conv_1x1~1|skip_connect~0|+|nor_conv_3x3~2|avg_pool_3x3~0|none~1| ") == mixed);
  // The generic form names each edge.
  CHECK(space->parse("1<-0=nor_conv_3x3;2<-0=skip_connect;2<-1=nor_conv_1x1;3<-0=avg_pool_3x3;3<-1=none;3<-2=nor_conv_3x3") ==
        mixed);
}

TEST_CASE("every architecture's string parses back to its canonical form, and canonical strings round-trip exactly") {
  const auto space = make_plugin<NasBench201>();
  int canonical = 0;
  for (const Architecture& a : every_architecture()) {
    const std::string text = space->to_string(a);
    const Architecture c = space->canonicalize(a);
    CHECK(space->parse(text) == c);
    CHECK(space->parse(space->to_string(c)) == c);
    CHECK(space->to_string(space->parse(space->to_string(c))) == space->to_string(c));
    CHECK(space->canonicalize(c) == c);
    if (c == a) ++canonical;
  }
  CHECK(std::to_string(canonical) == space->distinct_networks());
}

TEST_CASE("malformed NAS-Bench-201 strings name what is wrong: edge counts, sources, op names, node groups") {
  const auto space = make_plugin<NasBench201>();
  auto error = [&](const std::string& text) { return error_of([&] { space->parse(text); }); };
  auto check_error = [&](const std::string& text, const std::string& part) {
    CAPTURE(text);
    const std::string e = error(text);
    CHECK_MESSAGE(e.find(part) != std::string::npos, e);
    CHECK(e.find("expected NAS-Bench-201's form") != std::string::npos);
  };
  check_error("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|", "node 3 has 2 edge(s); expected 3");
  check_error("|nor_conv_3x3~0|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "node 1 has more than 1 edge(s)");
  check_error("|nor_conv_3x3~0|+|none~0|none~2|+|none~0|none~1|none~2|",
              "node 2's edge 'none~2' reads node 2; node 2 reads nodes 0..1");
  check_error("|nor_conv_3x3~0|+|none~0|none~0|+|none~0|none~1|none~2|", "node 2 lists source 0 twice");
  check_error("|conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|",
              "unknown op 'conv_3x3' on node 1's edge 'conv_3x3~0'; valid ops: none, skip_connect, nor_conv_1x1, "
              "nor_conv_3x3, avg_pool_3x3");
  check_error("|max_pool_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown op 'max_pool_3x3'");
  check_error("|nor_conv_3x3~0|+|none~0|none~1|", "has 2 node group(s); expected 3");
  check_error(std::string(kMixed) + "+|none~0|", "has 4 node groups; expected 3");
  check_error("|nor_conv_3x3~x|+|none~0|none~1|+|none~0|none~1|none~2|", "has source 'x', not a node number");
  check_error("|nor_conv_3x3|+|none~0|none~1|+|none~0|none~1|none~2|", "is not of the form 'op~source'");
  check_error("nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", "neither NAS-Bench-201's");
  check_error("", "is empty");
  // The generic form's errors come from the SDK, naming the variable.
  CHECK(error("1<-0=conv;2<-0=none;2<-1=none;3<-0=none;3<-1=none;3<-2=none").find("has no choice 'conv'") !=
        std::string::npos);
}

TEST_CASE("configuration: CIFAR defaults, ImageNet16-120, and sizes the reductions cannot halve twice are refused") {
  const auto cifar = make_plugin<NasBench201>();
  const NetworkSpec spec = cifar->lower(cifar->parse(kMixed));
  CHECK(spec.input == TensorShape{3, 32, 32});
  CHECK(spec.output() == TensorShape{10, 1, 1});
  const auto imagenet16 = make_plugin<NasBench201>({{"classes", int64_t{120}}, {"input_size", int64_t{16}}});
  const NetworkSpec small = imagenet16->lower(imagenet16->parse(kMixed));
  CHECK(small.input == TensorShape{3, 16, 16});
  CHECK(small.output() == TensorShape{120, 1, 1});
  CHECK(small.layers[small.layers.size() - 2].out == TensorShape{64, 1, 1});  // pooled 4x4x64
  const Setup s16{16, 16, 5, 120, 3};
  CHECK(count_cost(small).macs == expected_cost(imagenet16->parse(kMixed), s16).macs);
  CHECK(count_cost(small).params == expected_cost(imagenet16->parse(kMixed), s16).params);

  const std::string e = error_of([] { make_plugin<NasBench201>({{"input_size", int64_t{30}}}); });
  CHECK(e.find("key 'plugin.input_size': is 30; the two stride-2 reductions need a multiple of 4") != std::string::npos);
  CHECK(e.find("fix: use 32 (CIFAR) or 16 (ImageNet16)") != std::string::npos);
  CHECK(error_of([] { make_plugin<NasBench201>({{"cells_per_stage", int64_t{0}}}); }).find("cells_per_stage") !=
        std::string::npos);
}

TEST_CASE("hand-counted MACs and parameters: all-none, all-skip, all-conv3x3 and a mixed cell at C=16, N=5, CIFAR-10") {
  const auto space = make_plugin<NasBench201>();
  auto cost = [&](const char* text) { return count_cost(space->lower(space->parse(text))); };
  // Skeleton: stem 3*3*3*16*32^2 = 442,368 MACs, 432 + 32 params; each
  // reduction 3,670,016 MACs (conv_a 1,179,648 + conv_b 2,359,296 + shortcut
  // 131,072), params 14,464 and 57,600; BN 128 params; linear 640 MACs, 650 params.
  CHECK(cost(kAllNone).macs == 7'783'040);
  CHECK(cost(kAllNone).params == 73'306);
  // Skips and sums cost nothing: the skeleton's counts.
  CHECK(cost(kAllSkip).macs == 7'783'040);
  CHECK(cost(kAllSkip).params == 73'306);
  // Every edge a conv3x3: 9*C^2*H^2 = 2,359,296 MACs at every stage, 90 of
  // them; params 9C^2 + 2C = 2,336 / 9,280 / 36,992, 30 of each.
  CHECK(cost(kAllConv3).macs == 7'783'040 + 90 * 2'359'296);
  CHECK(cost(kAllConv3).params == 73'306 + 30 * (2'336 + 9'280 + 36'992));
  // Mixed: two conv3x3 and one conv1x1 (C^2*H^2 = 262,144 MACs, C^2 + 2C params) per cell.
  CHECK(cost(kMixed).macs == 7'783'040 + 15 * (2 * 2'359'296 + 262'144));
  CHECK(cost(kMixed).params == 73'306 + 5 * (2 * (2'336 + 9'280 + 36'992) + (288 + 1'088 + 4'224)));
  // The same numbers from the formulas.
  for (const char* text : {kAllNone, kAllSkip, kAllConv3, kMixed}) {
    CAPTURE(text);
    CHECK(cost(text).macs == expected_cost(space->parse(text)).macs);
    CHECK(cost(text).params == expected_cost(space->parse(text)).params);
  }
}

TEST_CASE("a mixed cell lowers to ReLU-conv-BN edges, a shared ReLU per tensor, pools, and sums of its live edges") {
  const auto space = make_plugin<NasBench201>();
  const NetworkSpec spec = space->lower(space->parse(kMixed));
  check_network(spec);
  // Layer 0 is the stem; the first cell follows.
  CHECK(spec.layers[0].key() == "conv2d|3x32x32|16x32x32|k3|s1|p1|g1|bn");
  const std::vector<std::pair<std::string, std::vector<int>>> cell{
      {"act|16x32x32|16x32x32|relu", {0}},         // ReLU(node 0) for 1<-0
      {"conv2d|16x32x32|16x32x32|k3|s1|p1|g1|bn", {1}},  // node 1
      {"act|16x32x32|16x32x32|relu", {2}},         // ReLU(node 1) for 2<-1
      {"conv2d|16x32x32|16x32x32|k1|s1|p0|g1|bn", {3}},
      {"add|16x32x32|16x32x32|n2", {0, 4}},        // node 2 = node 0 + conv1x1
      {"avgpool|16x32x32|16x32x32|k3|s1|p1", {0}},  // 3<-0
      {"act|16x32x32|16x32x32|relu", {5}},         // ReLU(node 2) for 3<-2
      {"conv2d|16x32x32|16x32x32|k3|s1|p1|g1|bn", {7}},
      {"add|16x32x32|16x32x32|n2", {6, 8}},        // node 3
  };
  for (std::size_t i = 0; i < cell.size(); ++i) {
    CAPTURE(i);
    CHECK(spec.layers[1 + i].key() == cell[i].first);
    CHECK(spec.layers[1 + i].inputs == cell[i].second);
  }
  // The next cell reads the previous cell's output.
  CHECK(spec.layers[10].inputs == std::vector<int>{9});
  // After 5 cells, the reduction block: ReLU-conv s2-BN, ReLU-conv-BN, and
  // the shortcut avg-pool 2x2 s2 + conv1x1 (no BN), summed.
  const int r = 1 + 5 * 9;
  CHECK(spec.layers[r].key() == "act|16x32x32|16x32x32|relu");
  CHECK(spec.layers[r + 1].key() == "conv2d|16x32x32|32x16x16|k3|s2|p1|g1|bn");
  CHECK(spec.layers[r + 2].key() == "act|32x16x16|32x16x16|relu");
  CHECK(spec.layers[r + 3].key() == "conv2d|32x16x16|32x16x16|k3|s1|p1|g1|bn");
  CHECK(spec.layers[r + 4].key() == "avgpool|16x32x32|16x16x16|k2|s2|p0");
  CHECK(spec.layers[r + 4].inputs == std::vector<int>{r - 1});
  CHECK(spec.layers[r + 5].key() == "conv2d|16x16x16|32x16x16|k1|s1|p0|g1");
  CHECK(spec.layers[r + 6].key() == "add|32x16x16|32x16x16|n2");
  // Head: BN, ReLU, global pool, linear.
  const std::size_t n = spec.layers.size();
  CHECK(spec.layers[n - 4].key() == "bn|64x8x8|64x8x8");
  CHECK(spec.layers[n - 3].key() == "act|64x8x8|64x8x8|relu");
  CHECK(spec.layers[n - 2].key() == "gap|64x8x8|64x1x1");
  CHECK(spec.layers[n - 1].key() == "linear|64x1x1|10x1x1|bias");
  CHECK(n == 1 + 3 * 5 * 9 + 2 * 7 + 4);
}

TEST_CASE("an all-skip cell is two sums, node 3 a sum of three inputs") {
  const auto space = make_plugin<NasBench201>();
  const NetworkSpec spec = space->lower(space->parse(kAllSkip));
  check_network(spec);
  CHECK(spec.layers[1].key() == "add|16x32x32|16x32x32|n2");
  CHECK(spec.layers[1].inputs == std::vector<int>{0, 0});  // node 2 = node 0 + node 1 (= node 0)
  CHECK(spec.layers[2].key() == "add|16x32x32|16x32x32|n3");
  CHECK(spec.layers[2].inputs == std::vector<int>{0, 0, 1});
  CHECK(spec.layers[3].inputs == std::vector<int>{2, 2});  // the next cell reads the first one's node 3
  CHECK(spec.layers.size() == 1 + 15 * 2 + 14 + 4);
}

TEST_CASE("none edges prune the nodes they cut off: dead ops are neither lowered nor counted, and canonicalize drops them") {
  const auto space = make_plugin<NasBench201>();
  // Nodes 1 and 2 do not reach node 3: the cell passes its input through.
  const Architecture dead = space->parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|");
  CHECK(space->to_string(dead) == kPassThrough);
  // Node 1 has no input edge, so its conv to node 3 is dead too.
  const Architecture orphan = space->parse("|none~0|+|nor_conv_1x1~0|none~1|+|none~0|nor_conv_3x3~1|nor_conv_3x3~2|");
  CHECK(space->to_string(orphan) == "|none~0|+|nor_conv_1x1~0|none~1|+|none~0|none~1|nor_conv_3x3~2|");
  const Architecture raw{None, Conv1, None, None, Conv3, Conv3};
  CHECK(fingerprint(space->lower(raw)) == fingerprint(space->lower(orphan)));
  CHECK(count_cost(space->lower(raw)).macs == expected_cost(orphan).macs);
  // Node 1 is node 0 (a skip): which of them each conv reads does not matter.
  CHECK(space->parse("|skip_connect~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|none~0|none~1|skip_connect~2|") ==
        space->parse("|skip_connect~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|none~0|none~1|skip_connect~2|"));
  // A single path of skips is the identity, whatever route it takes.
  CHECK(space->to_string(space->parse("|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|")) ==
        kPassThrough);
}

TEST_CASE("a cell whose output is cut off is the skeleton alone: counted as stem, reductions and head, kept apart from pass-through cells") {
  const auto space = make_plugin<NasBench201>();
  const Architecture cut = space->parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|none~1|none~2|");
  CHECK(space->to_string(cut) == kAllNone);
  const NetworkSpec spec = space->lower(cut);
  check_network(spec);
  CHECK(spec.layers.size() == 1 + 2 * 7 + 4);
  CHECK(spec.layers[1].key() == "act|16x32x32|16x32x32|relu");  // the first reduction reads the stem
  CHECK(spec.layers[1].inputs == std::vector<int>{0});
  CHECK(count_cost(spec).macs == skeleton({}).macs);
  CHECK(count_cost(spec).params == skeleton({}).params);
  // Same layers as a cell that passes its input through, but another
  // function (NAS-Bench-201 computes zeros there), so another class.
  const Architecture through = space->parse(kPassThrough);
  CHECK(fingerprint(space->lower(through)) == fingerprint(spec));
  CHECK(space->canonicalize(through) != space->canonicalize(cut));
}

TEST_CASE("all 15,625 architectures lower to consistent networks whose MACs and parameters match the path-based count") {
  const auto space = make_plugin<NasBench201>();
  int failures = 0;
  for (const Architecture& a : every_architecture()) {
    const NetworkSpec spec = space->lower(a);
    try {
      check_network(spec);
    } catch (const Error& e) {
      if (++failures < 5) FAIL_CHECK(space->to_string(a) << ": " << e.what());
    }
    const NetworkCost cost = count_cost(spec);
    const Cost expected = expected_cost(a);
    if (cost.macs != expected.macs || cost.params != expected.params || spec.output() != TensorShape{10, 1, 1}) {
      if (++failures < 5) FAIL_CHECK(space->to_string(a) << ": " << cost.macs << " MACs, " << cost.params << " params");
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("canonicalize merges exactly the architectures with the same lowered network and the same connectedness") {
  const auto space = make_plugin<NasBench201>();
  // Class by (network, output connected) and class by canonical form must be the same partition.
  std::map<std::string, std::string> canonical_of_network;
  std::map<std::string, std::string> network_of_canonical;
  for (const Architecture& a : every_architecture()) {
    const std::string network = fingerprint(space->lower(a)) + (output_connected(a) ? "|connected" : "|zero");
    const std::string canonical = space->to_string(space->canonicalize(a));
    const auto [n, new_network] = canonical_of_network.emplace(network, canonical);
    const auto [c, new_canonical] = network_of_canonical.emplace(canonical, network);
    if (n->second != canonical || c->second != network) FAIL_CHECK(space->to_string(a) << " -> " << canonical);
    CHECK(space->canonicalize(a) <= a);  // the representative is the class's smallest choice vector
  }
  CHECK(canonical_of_network.size() == network_of_canonical.size());
  CHECK(space->distinct_networks() == std::to_string(canonical_of_network.size()));
  MESSAGE("distinct networks: " << canonical_of_network.size());
}

TEST_CASE("distinct_layers lists exactly the layer keys of all 15,625 lowered networks, each once") {
  const auto space = make_plugin<NasBench201>();
  std::set<std::string> expected;
  for (const Architecture& a : every_architecture()) {
    for (const Layer& l : space->lower(a).layers) expected.insert(l.key());
  }
  std::set<std::string> listed;
  const std::vector<Layer> layers = space->distinct_layers();
  for (const Layer& l : layers) CHECK(listed.insert(l.key()).second);
  CHECK(listed == expected);
  CHECK(layers.size() == expected.size());
}

TEST_CASE("smallest() and largest() have the fewest and most MACs (then parameters) of the whole space") {
  const auto space = make_plugin<NasBench201>();
  std::pair<int64_t, int64_t> low{INT64_MAX, INT64_MAX}, high{-1, -1};
  int at_high = 0;
  for (const Architecture& a : every_architecture()) {
    const NetworkCost c = count_cost(space->lower(a));
    low = std::min(low, {c.macs, c.params});
    if (std::pair{c.macs, c.params} > high) {
      high = {c.macs, c.params};
      at_high = 0;
    }
    if (std::pair{c.macs, c.params} == high) ++at_high;
  }
  const NetworkCost small = count_cost(space->lower(space->smallest()));
  const NetworkCost large = count_cost(space->lower(space->largest()));
  CHECK(std::pair{small.macs, small.params} == low);
  CHECK(std::pair{large.macs, large.params} == high);
  CHECK(at_high == 1);
  CHECK(space->to_string(space->smallest()) == kPassThrough);  // a working network, not the zero cell
  CHECK(space->to_string(space->largest()) == kAllConv3);
  CHECK_NOTHROW(space->check(space->smallest()));
}

TEST_CASE("encode sees canonical architectures: ops on dead edges do not change the features") {
  const auto space = make_plugin<NasBench201>();
  const Architecture dead = {Conv3, Conv3, Conv3, Skip, None, None};  // nodes 1 and 2 unused
  CHECK(space->encode(dead) == space->encode(space->parse(kPassThrough)));
  CHECK(space->encode(dead).size() == 30);
  CHECK(space->encode(space->parse(kMixed)) != space->encode(space->parse(kAllConv3)));
}
