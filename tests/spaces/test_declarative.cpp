// The declarative space (plugins/spaces/declarative): the OFA MobileNetV3
// reproduction (examples/spaces/ofa-mobilenetv3.toml) against the C++ space,
// counts by hand, the exploration (lut build, space info) against brute
// force, text forms, and one clear error per kind of bad space file.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "declarative_space.hpp"
#include "error_text.hpp"
#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using nasctl::spaces::declarative::DeclarativeSpace;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;
using nasctl::test::error_of;
using nasctl::test::make_plugin;

namespace {

const std::string kExamples = std::string(NASCTL_SOURCE_DIR) + "/examples/spaces/";

void check_same_layer(const Layer& a, const Layer& b) {
  CHECK(a.op == b.op);
  CHECK(a.inputs == b.inputs);
  CHECK(a.in == b.in);
  CHECK(a.out == b.out);
  CHECK(a.kernel == b.kernel);
  CHECK(a.stride == b.stride);
  CHECK(a.padding == b.padding);
  CHECK(a.groups == b.groups);
  CHECK(a.hidden == b.hidden);
  CHECK(a.bias == b.bias);
  CHECK(a.batch_norm == b.batch_norm);
  CHECK(a.activation == b.activation);
}

std::set<std::string> keys_of(const std::vector<Layer>& layers) {
  std::set<std::string> keys;
  for (const Layer& l : layers) keys.insert(l.key());
  return keys;
}

// Writes a space file and loads it; returns the error's text ("no error" if
// it loaded).
struct SpaceFile {
  nasctl::test::TempDir dir{"declarative"};
  std::string path;
  explicit SpaceFile(const std::string& text) : path(dir / "space.toml") { nasctl::test::write_text(path, text); }
  std::string error() const {
    return error_of([&] { DeclarativeSpace space(path); });
  }
};

// A minimal valid head: variables and input around the network entries.
std::string space_text(const std::string& body, const std::string& variables = "[[variables]]\nname = \"c\"\nchoices = [8, 16]\n") {
  return "name = \"t\"\n[input]\nchannels = 3\nsize = 8\n\n" + variables + "\n" + body;
}

}  // namespace

TEST_CASE("the declarative OFA MobileNetV3 lowers 1,000 random architectures exactly as the C++ space") {
  const auto builtin = make_plugin<OfaMobileNetV3>();
  const DeclarativeSpace decl(kExamples + "ofa-mobilenetv3.toml");

  // Same decision variables, in the same order, with the same labels.
  REQUIRE(decl.variables().size() == builtin->variables().size());
  for (std::size_t i = 0; i < decl.variables().size(); ++i) {
    CHECK(decl.variables()[i].name == builtin->variables()[i].name);
    CHECK(decl.variables()[i].labels == builtin->variables()[i].labels);
  }

  Rng rng(20261206);
  int compared_layers = 0;
  std::set<int> depths_seen;
  for (int n = 0; n < 1000; ++n) {
    const Architecture arch = builtin->sample(rng);
    CAPTURE(builtin->to_string(arch));
    const NetworkSpec a = builtin->lower(arch);
    const NetworkSpec b = decl.lower(arch);
    CHECK(a.name == b.name);
    CHECK(a.input == b.input);
    REQUIRE(a.layers.size() == b.layers.size());
    for (std::size_t i = 0; i < a.layers.size(); ++i) check_same_layer(a.layers[i], b.layers[i]);
    compared_layers += static_cast<int>(a.layers.size());
    depths_seen.insert(static_cast<int>(a.layers.size()));
    // Text forms: the same canonical string, and each parses the other's.
    const std::string text = decl.to_string(arch);
    CHECK(text == builtin->to_string(arch));
    CHECK(decl.parse(text) == decl.canonicalize(arch));
    CHECK(decl.canonicalize(arch) == builtin->canonicalize(arch));
    CHECK(decl.to_string(decl.parse(text)) == text);
    CHECK(decl.encode(arch) == builtin->encode(arch));
  }
  // Networks of many depths were compared (10 to 20 blocks).
  CHECK(depths_seen.size() > 5);
  CHECK(compared_layers > 1000 * 60);
}

TEST_CASE("the declarative OFA MobileNetV3 lists the C++ space's lut build signatures and extremes") {
  const auto builtin = make_plugin<OfaMobileNetV3>();
  const DeclarativeSpace decl(kExamples + "ofa-mobilenetv3.toml");
  const std::vector<Layer> mine = decl.distinct_layers();
  const std::vector<Layer> theirs = builtin->distinct_layers();
  CHECK(mine.size() == theirs.size());
  CHECK(keys_of(mine) == keys_of(theirs));
  CHECK(keys_of(mine).size() == mine.size());  // each signature once

  CHECK(decl.distinct_networks() == builtin->distinct_networks());
  const NetworkCost small = count_cost(decl.lower(decl.smallest()));
  const NetworkCost large = count_cost(decl.lower(decl.largest()));
  CHECK(small.macs == count_cost(builtin->lower(builtin->smallest())).macs);
  CHECK(small.params == count_cost(builtin->lower(builtin->smallest())).params);
  CHECK(large.macs == count_cost(builtin->lower(builtin->largest())).macs);
  CHECK(large.params == count_cost(builtin->lower(builtin->largest())).params);
}

TEST_CASE("a declarative network is counted as by hand") {
  // 3x8x8 input; conv 3->c k3 (BN, ReLU); depthwise k3 stride 2; SE; pool; linear.
  SpaceFile f(space_text(R"T(
[[network]]
op = "conv"
out = "c"
kernel = 3
act = "relu"
[[network]]
op = "dwconv"
kernel = 3
stride = 2
[[network]]
op = "se"
hidden = "c / 2"
[[network]]
op = "gap"
[[network]]
op = "linear"
out = 10
)T"));
  const DeclarativeSpace space(f.path);
  for (int choice = 0; choice < 2; ++choice) {
    const int64_t c = choice == 0 ? 8 : 16;
    const NetworkSpec spec = space.lower({choice});
    REQUIRE(spec.layers.size() == 5);
    CHECK(spec.layers[0].out == TensorShape{c, 8, 8});
    CHECK(spec.layers[1].out == TensorShape{c, 4, 4});
    CHECK(spec.layers[1].groups == c);
    CHECK(spec.layers[2].hidden == c / 2);
    CHECK(spec.output() == TensorShape{10, 1, 1});
    const int64_t macs = 9 * 3 * c * 64       // conv
                         + 9 * c * 16         // depthwise at 4x4
                         + 2 * c * (c / 2)    // SE's two 1x1 convolutions at 1x1
                         + c * 10;            // linear
    const int64_t params = 9 * 3 * c + 2 * c  // conv + BN
                           + 9 * c + 2 * c    // depthwise + BN
                           + c * (c / 2) + c / 2 + (c / 2) * c + c  // SE weights and biases
                           + c * 10 + 10;     // linear + bias
    const NetworkCost cost = count_cost(spec);
    CHECK(cost.macs == macs);
    CHECK(cost.params == params);
    check_network(spec);
  }
}

TEST_CASE("the small CNN example: residuals where shapes match, string choices, round trips") {
  const DeclarativeSpace space(kExamples + "small-cnn.toml");
  CHECK(space.size() == 442368.0);
  Rng rng(7);
  int adds = 0;
  for (int n = 0; n < 300; ++n) {
    const Architecture arch = space.sample(rng);
    const NetworkSpec spec = space.lower(arch);
    check_network(spec);
    for (const Layer& l : spec.layers) adds += l.op == OpKind::Add;
    const std::string text = space.to_string(arch);
    CHECK(space.parse(text) == space.canonicalize(arch));
    CHECK(space.to_string(space.parse(text)) == text);
    // pool = avg lowers an average pool, max a max pool.
    const bool avg = arch[1] == 1;
    CHECK(spec.layers[1].op == (avg ? OpKind::AvgPool2d : OpKind::MaxPool2d));
  }
  CHECK(adds > 0);
  CHECK(space.parse("r=32;pool=avg;c=16,24,48;k=3,5,3;d=1,2,3;se=0,1,1") ==
        Architecture{1, 1, 0, 1, 3, 0, 1, 0, 0, 1, 2, 0, 1, 1});
}

TEST_CASE("exploration: layers, counts and extremes equal brute force, with and without shared variables") {
  // Two stages whose depth hides the second slot's kernel; a string
  // variable; in `shared`, one width variable is read by both stages, so
  // the whole network is explored as one.
  const std::string vars = R"T([[variables]]
name = "c"
choices = [8, 16]
count = 2
[[variables]]
name = "k"
choices = [1, 3, 5]
count = 4
[[variables]]
name = "d"
choices = [1, 2]
count = 2
[[variables]]
name = "w"
choices = [8, 24]
)T";
  const std::string blocks = R"T(
[blocks.b]
params = ["s", "stride"]
residual = "auto"
ops = [{ op = "conv", out = "c(s)", kernel = "k(2 * s + b)", stride = "first ? stride : 1" }]
)T";
  for (const bool shared : {false, true}) {
    CAPTURE(shared);
    const std::string last = shared ? "w" : "16";
    SpaceFile f(space_text(blocks + R"T(
[[network]]
op = "conv"
out = "w"
kernel = 3
[[network]]
block = "b"
repeat = "d(0)"
max_repeat = 2
with = { s = 0, stride = 1 }
[[network]]
block = "b"
repeat = "d(1)"
max_repeat = 2
with = { s = 1, stride = 2 }
[[network]]
op = "conv"
out = ")T" + last + R"T("
kernel = 1
)T",
                           vars));
    const DeclarativeSpace space(f.path);
    std::set<std::string> keys;
    std::set<Architecture> canonical;
    int64_t min_macs = -1, max_macs = -1;
    Architecture arch(space.variables().size(), 0);
    // Every choice vector, as an odometer.
    while (true) {
      const NetworkSpec spec = space.lower(arch);
      for (const Layer& l : spec.layers) keys.insert(l.key());
      canonical.insert(space.canonicalize(arch));
      const int64_t macs = count_cost(spec).macs;
      if (min_macs < 0 || macs < min_macs) min_macs = macs;
      max_macs = std::max(max_macs, macs);
      std::size_t i = 0;
      while (i < arch.size() && ++arch[i] == space.variables()[i].cardinality()) arch[i++] = 0;
      if (i == arch.size()) break;
    }
    CHECK(keys_of(space.distinct_layers()) == keys);
    CHECK(space.distinct_layers().size() == keys.size());
    CHECK(space.distinct_networks() == std::to_string(canonical.size()));
    CHECK(count_cost(space.lower(space.smallest())).macs == min_macs);
    CHECK(count_cost(space.lower(space.largest())).macs == max_macs);
    // Unused kernels (slot 1 of a stage of depth 1) do not make new networks.
    CHECK(canonical.size() < static_cast<std::size_t>(space.size()));
  }
}

TEST_CASE("parse names what is wrong in an architecture string") {
  const DeclarativeSpace space(kExamples + "ofa-mobilenetv3.toml");
  const auto wrong = [&](const std::string& text) { return error_of([&] { space.parse(text); }); };
  const std::string ok_ks = "3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-";
  CHECK(wrong("ks=" + ok_ks + ";e=" + ok_ks + ";d=2,2,2,2,2;r=225").find("r = '225' is not one of 224") != std::string::npos);
  CHECK(wrong("ks=" + ok_ks + ";e=" + ok_ks + ";d=2,2,2,2").find("'d' has 4 values, expected 5") != std::string::npos);
  CHECK(wrong("ks=" + ok_ks + ";e=" + ok_ks + ";d=2,2,2,2,2;r=224;x=1").find("unknown variable 'x'") != std::string::npos);
  CHECK(wrong("ks=" + ok_ks + ";e=" + ok_ks + ";d=3,2,2,2,2;r=224").find("ks2 is '-' but the network reads it") !=
        std::string::npos);
  CHECK(wrong("ks=" + ok_ks + ";e=" + ok_ks + ";r=224").find("missing 'd='") != std::string::npos);
  CHECK(space.parse("ks=" + ok_ks + ";e=" + ok_ks + ";d=2,2,2,2,2;r=224") == space.smallest());
}

// ---------------------------------------------------------------------------
// Bad space files: one line naming the file, the line, the key, and a fix.

namespace {

void check_error(const SpaceFile& f, const std::string& line_key, const std::string& what) {
  const std::string e = f.error();
  CAPTURE(e);
  CHECK(e.find(f.path + ":" + line_key) != std::string::npos);
  CHECK(e.find(what) != std::string::npos);
  CHECK(e.find("; fix: ") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
}

const std::string kConv = "[[network]]\nop = \"conv\"\nkernel = 3\n";

}  // namespace

TEST_CASE("bad space file: an undefined name in an expression") {
  SpaceFile f(space_text(kConv + "out = \"2 * widht\"\n"));
  check_error(f, "13: key 'network[0].out'", "uses 'widht', which is not defined here");
}

TEST_CASE("bad space file: an expression's syntax") {
  SpaceFile f(space_text(kConv + "out = \"(c + 2\"\n"));
  check_error(f, "13: key 'network[0].out'", "expression '(c + 2': Missing parenthesis");
}

TEST_CASE("bad space file: a vector variable read without an index") {
  SpaceFile f(space_text(kConv + "out = \"v + 1\"\n", "[[variables]]\nname = \"v\"\nchoices = [8]\ncount = 2\n"));
  check_error(f, "14: key 'network[0].out'", "'v' is a vector: read an element as v(i)");
}

TEST_CASE("bad space file: constants in a cycle") {
  SpaceFile f(space_text("[constants]\np = \"q + 1\"\nq = \"2 * p\"\n\n" + kConv + "out = \"p\"\n"));
  check_error(f, "11: key 'constants.p'", "constants refer to each other in a cycle: p -> q -> p");
}

TEST_CASE("bad space file: blocks that use each other in a cycle") {
  SpaceFile f(space_text(R"T(
[blocks.x]
ops = [{ block = "y" }]
[blocks.y]
ops = [{ block = "x" }]
[[network]]
block = "x"
)T"));
  check_error(f, "14: key 'blocks.y.ops[0].block'", "blocks use each other in a cycle: x -> y -> x");
}

TEST_CASE("bad space file: channels not divisible by groups") {
  SpaceFile f(space_text(kConv + "out = \"c\"\ngroups = 3\n"));
  check_error(f, "14: key 'network[0].groups'", "channels 3 -> 8 do not divide by groups = 3");
}

TEST_CASE("bad space file: a residual add of different shapes") {
  SpaceFile f(space_text(R"T(
[blocks.down]
residual = "always"
ops = [{ op = "conv", out = "c", kernel = 3, stride = 2 }]
[[network]]
block = "down"
)T"));
  check_error(f, "12: key 'blocks.down.residual'", "adds the block's input 3x8x8 to its output 8x4x4");
}

TEST_CASE("bad space file: zero-size and negative layers") {
  SpaceFile zero(space_text(kConv + "out = \"c - 8\"\n"));
  check_error(zero, "13: key 'network[0].out'", "out (channels) is 0; a layer needs at least 1");
  SpaceFile negative(space_text(kConv + "out = \"4 - c\"\n"));
  check_error(negative, "13: key 'network[0].out'", "out (channels) is -4; a layer needs at least 1");
  SpaceFile huge(space_text(kConv + "out = \"c * 1e12\"\n"));
  check_error(huge, "13: key 'network[0].out'", "out (channels) is 8e+12, beyond any layer (at most 2^30)");
  SpaceFile window(space_text("[[network]]\nop = \"maxpool\"\nkernel = 9\n"));
  check_error(window, "12: key 'network[0].kernel'", "a 9x9 window on a 8x8 map (padding 0) leaves a zero-size output");
}

TEST_CASE("bad space file: an unknown op kind") {
  SpaceFile f(space_text("[[network]]\nop = \"conv3d\"\nkernel = 3\n"));
  check_error(f, "11: key 'network[0].op'", "unknown op kind 'conv3d'");
}

TEST_CASE("bad space file: a repeat bound to a non-integer variable") {
  SpaceFile f(space_text(R"T(
[blocks.x]
ops = [{ op = "conv", out = 8, kernel = 3 }]
[[network]]
block = "x"
repeat = "depth"
max_repeat = 3
)T",
                         "[[variables]]\nname = \"depth\"\nchoices = [1, 1.5]\n"));
  check_error(f, "15: key 'network[0].repeat'", "reads variable 'depth', whose choices are not all whole numbers");
}

TEST_CASE("bad space file: a variable without choices") {
  SpaceFile f(space_text(kConv + "out = 8\n", "[[variables]]\nname = \"c\"\nchoices = []\n"));
  check_error(f, "8: key 'variables[0].choices'", "is empty: variable 'c' has nothing to choose");
}

TEST_CASE("bad space file: TOML syntax, unknown keys, missing file") {
  SpaceFile syntax("name = \"t\"\n[input\n");
  CHECK(syntax.error().find(syntax.path + ":2: TOML syntax") != std::string::npos);
  SpaceFile typo(space_text(kConv + "out = 8\nstrid = 2\n"));
  check_error(typo, "14: key 'network[0].strid'", "is not a field of op 'conv'");
  SpaceFile huge(space_text(R"T(
[blocks.x]
ops = [{ op = "conv", out = 8, kernel = 1 }]
[blocks.y]
ops = [{ block = "x", repeat = 1000 }]
[[network]]
block = "y"
repeat = 1000
)T"));
  check_error(huge, "12: key 'blocks.x.ops[0]'", "the network unrolls to more than 100000 ops");
  const std::string missing = error_of([] { DeclarativeSpace space("/nonexistent/space.toml"); });
  CHECK(missing.find("/nonexistent/space.toml: cannot read the declarative space file") != std::string::npos);
  CHECK(missing.find("fix: check the space's 'file' key") != std::string::npos);
}
