// Hardware-aware space generation (`nasctl space select`'s core): operators
// scored by capacity per unit of latency, the top K kept per layer, written
// as an operators file that the HURRICANE space loads; and the one-line
// errors for operators files that do not fit the space.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "hurricane_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/evolve/operator_selection.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "plugin_config.hpp"
#include "error_text.hpp"

namespace fs = std::filesystem;
using nasctl::ConfigValue;
using nasctl::evolve::SelectionOptions;
using nasctl::spaces::hurricane::HurricaneSpace;

using nasctl::test::error_of;

namespace {

using Overrides = std::map<std::string, ConfigValue>;

std::unique_ptr<HurricaneSpace> space(const Overrides& overrides = {}) {
  return nasctl::test::make_plugin<HurricaneSpace>(overrides);
}

// A device where every layer costs a fixed launch overhead plus time per MAC,
// and squeeze-excite and h-swish are slow: cheap to compute, and it ranks
// operators the way a real device would (overhead favours fewer layers).
double fake_latency(const nasctl::NetworkSpec& net) {
  double ms = 0.0;
  for (const auto& l : net.layers) {
    ms += 0.01 + 1e-8 * static_cast<double>(nasctl::layer_macs(l));
    if (l.op == nasctl::OpKind::SqueezeExcite) ms += 0.05;
    if (l.activation == nasctl::ActivationKind::HardSwish) ms += 0.02;
  }
  return ms;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("nasctl-hurricane-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    std::ofstream(p) << text;
    return p.string();
  }
};

nasctl::evolve::SelectionReport select(const HurricaneSpace& s, const SelectionOptions& o, int* calls = nullptr) {
  return nasctl::evolve::select_operators(
      s,
      [&](const nasctl::NetworkSpec& net, const std::string&) {
        if (calls) ++*calls;
        return fake_latency(net);
      },
      o);
}

std::string selection_file(const TempDir& dir, const HurricaneSpace& s, const SelectionOptions& o) {
  nasctl::evolve::SelectionHeader h;
  h.space = s.operators_file_space();
  h.hardware = "dev";
  h.hardware_plugin = "fake";
  h.metric = "dev.latency_ms";
  return dir.file("space.toml", nasctl::evolve::selection_toml(select(s, o), h, o));
}

}  // namespace

TEST_CASE("select keeps the top K operators per layer by capacity per ms, best first, plus skip where it fits") {
  const auto s = space();
  SelectionOptions o;
  o.top = 4;
  int calls = 0;
  const auto report = select(*s, o, &calls);
  REQUIRE(report.layers.size() == 20);
  for (const auto& layer : report.layers) {
    const bool reshaping = layer.position.in != layer.position.out;
    CHECK(layer.chosen.size() == (reshaping ? 4u : 5u));
    CHECK((layer.chosen.back() == "skip") == !reshaping);
    for (std::size_t i = 1; i < layer.ranked.size(); ++i) CHECK(layer.ranked[i - 1].score >= layer.ranked[i].score);
    for (std::size_t i = 0; i < 4; ++i) CHECK(layer.chosen[i] == layer.ranked[i].op);
    // Score = MACs / latency (capacity "macs", the default).
    CHECK(layer.ranked[0].score == doctest::Approx(static_cast<double>(layer.ranked[0].macs) / layer.ranked[0].latency));
    // The fake device charges for SE and h-swish: the best operator uses neither.
    CHECK(layer.chosen[0].find("_se") == std::string::npos);
    CHECK(layer.chosen[0].find("hswish") == std::string::npos);
  }
  // 20 layers x 42 scored operators; layers with equal shapes share measurements.
  CHECK(report.scored == 840);
  CHECK(report.measured < report.scored);
  CHECK(calls == static_cast<int>(report.measured));
}

TEST_CASE("log-macs capacity and --no-skip change the ranking and drop skip") {
  const auto s = space();
  SelectionOptions o;
  o.top = 2;
  o.capacity = nasctl::evolve::Capacity::LogMacs;
  o.keep_identity = false;
  const auto report = select(*s, o);
  for (const auto& layer : report.layers) {
    CHECK(layer.chosen.size() == 2);
    CHECK(std::find(layer.chosen.begin(), layer.chosen.end(), "skip") == layer.chosen.end());
  }
  CHECK(nasctl::evolve::parse_capacity("params") == nasctl::evolve::Capacity::Params);
  CHECK(error_of([] { nasctl::evolve::parse_capacity("flops"); }).find("fix: use log-macs, macs or params") !=
        std::string::npos);
}

TEST_CASE("a latency that is not a positive number is refused, naming the operator") {
  const auto s = space();
  const std::string e = error_of([&] {
    nasctl::evolve::select_operators(*s, [](const nasctl::NetworkSpec&, const std::string&) { return 0.0; }, {});
  });
  CHECK(e.find("l0=ir_k3_e1_relu") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
}

TEST_CASE("the space loads the selected operators file: each layer offers its top K in score order") {
  const TempDir dir;
  const auto full = space();
  SelectionOptions o;
  o.top = 3;
  const std::string path = selection_file(dir, *full, o);
  const auto report = select(*full, o);

  const auto device = space({{"operators_file", path}});
  REQUIRE(device->variables().size() == 20);
  for (std::size_t i = 0; i < 20; ++i) CHECK(device->variables()[i].labels == report.layers[i].chosen);
  CHECK(device->size() < full->size());
  nasctl::Rng rng(5);
  for (int i = 0; i < 20; ++i) {
    const auto a = device->sample(rng);
    CHECK_NOTHROW(nasctl::check_network(device->lower(a)));
    CHECK(device->parse(device->to_string(a)) == a);
  }
  // Choice 0 of every layer is that layer's best-scored operator.
  const auto best = device->to_string(nasctl::Architecture(20, 0));
  CHECK(best.find("l0=" + report.layers[0].ranked[0].op + ";") == 0);

  // An operator the file does not keep is refused with the reason.
  const std::string text = device->to_string(nasctl::Architecture(20, 0));
  const std::string other = "l0=ir_k7_e6_se_hswish" + text.substr(text.find(';'));
  const std::string e = error_of([&] { device->parse(other); });
  CHECK(e.find("not among the operators the operators file") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
}

TEST_CASE("an operators file made for other shapes, or with bad operators, is refused with file:line and the fix") {
  const TempDir dir;
  SelectionOptions o;
  const std::string path = selection_file(dir, *space(), o);
  // Made for 224x224 inputs; this space reads 160x160.
  std::string e = error_of([&] { space({{"operators_file", path}, {"resolution", int64_t{160}}}); });
  CHECK(e.find("key 'plugin.operators_file'") != std::string::npos);
  CHECK(e.find(path + ":") != std::string::npos);
  CHECK(e.find("was selected for 16x112x112 -> 24x56x56") != std::string::npos);
  CHECK(e.find("fix: regenerate it with `nasctl space select") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  // Made for 20 layers; this space has 3.
  e = error_of([&] {
    space({{"operators_file", path},
           {"widths", std::vector<int64_t>{16, 32}},
           {"depths", std::vector<int64_t>{1, 2}},
           {"strides", std::vector<int64_t>{1, 2}}});
  });
  CHECK(e.find("has 20 [[layers]] but this space has 3 searchable layers") != std::string::npos);

  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return dir.file("edited.toml", t);
  };
  // skip on the first layer, which down-samples.
  const std::string first_ops = "operators = [\"";
  e = error_of([&] { space({{"operators_file", edited(first_ops, first_ops + "skip\", \"")}}); });
  CHECK(e.find("edited.toml:") != std::string::npos);
  CHECK(e.find("layer l0 cannot use 'skip'") != std::string::npos);
  e = error_of([&] { space({{"operators_file", edited(first_ops, first_ops + "conv_k9\", \"")}}); });
  CHECK(e.find("unknown operator 'conv_k9'") != std::string::npos);
  e = error_of([&] { space({{"operators_file", edited("space = \"hurricane\"", "space = \"ofa\"")}}); });
  CHECK(e.find("was selected for space 'ofa'") != std::string::npos);
  e = error_of([&] { space({{"operators_file", edited("[[layers]]", "[[layers]")}}); });
  CHECK(e.find("TOML syntax") != std::string::npos);
  e = error_of([&] { space({{"operators_file", (dir.path / "missing.toml").string()}}); });
  CHECK(e.find("cannot read") != std::string::npos);
}
