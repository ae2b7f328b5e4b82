// `nasctl space info`: the exact size, the distinct networks and the
// smallest/largest networks the binary prints, against values the test
// computes on its own: 3^45 and 7371^5 written out, the classes of
// canonicalize() and the distinct lowered networks counted by brute force on
// one OFA stage, the extremes' costs from count_cost(lower()) of
// architectures built here (OFA) or found by exhaustive search (a reduced
// hurricane). Plus the space without SizeExtremes, --json, and bad configs.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "hurricane_space.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;
using nasctl::Architecture;
using nasctl::ConfigValue;
using nasctl::spaces::hurricane::HurricaneSpace;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;
namespace fs = std::filesystem;

namespace {

// 3^45 and 7371^5 = (9^2 + 9^3 + 9^4)^5, written out (Python: 3**45, 7371**5).
const std::string k3pow45 = "2954312706550833698643";
const std::string k7371pow5 = "21758655492572485851";

// Runs `nasctl space info -c DIR/space.toml [extra...]`.
CliResult info_with(const TempDir& dir, const std::string& config, const std::vector<std::string>& extra = {}) {
  write_text(dir / "space.toml", config);
  std::vector<std::string> args{"space", "info", "-c", dir / "space.toml"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_nasctl(args);
}

nlohmann::json json_info(const TempDir& dir, const std::string& config, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = extra;
  args.push_back("--json");
  const CliResult r = info_with(dir, config, args);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

// Everything that makes two lowered networks different networks.
std::string network_text(const nasctl::NetworkSpec& spec) {
  std::string text;
  for (const auto& layer : spec.layers) {
    text += layer.key() + "<";
    for (int in : layer.inputs) text += std::to_string(in) + ",";
    text += ">;";
  }
  return text;
}

std::pair<int64_t, int64_t> cost_of(const nasctl::SearchSpace& space, const Architecture& arch) {
  const nasctl::NetworkCost c = nasctl::count_cost(space.lower(arch));
  return {c.macs, c.params};
}

const std::string kHurricane = config_with("plugin = \"ofa-mobilenetv3\"", "plugin = \"hurricane\"");

}  // namespace

TEST_CASE("space info, OFA MobileNetV3 w1.0 at 224: 46 variables, size 3^45 exactly, 7371^5 distinct networks") {
  TempDir dir("cli-space-info");
  const auto space = make_plugin<OfaMobileNetV3>();
  const auto j = json_info(dir, kAnalyticConfig);
  CHECK(j["space"]["plugin"] == "ofa-mobilenetv3");
  CHECK(j["space"]["config"]["width"] == 1.0);
  CHECK(j["space"]["config"]["resolutions"] == nlohmann::json::array({224}));

  // The variables are the space's own: ks0..ks19 {3,5,7}, e0..e19 {3,4,6},
  // d0..d4 {2,3,4}, r {224}.
  const auto& vars = space->variables();
  REQUIRE(vars.size() == 46);
  REQUIRE(j["variables"].size() == 46);
  for (std::size_t i = 0; i < vars.size(); ++i) {
    CHECK(j["variables"][i]["name"] == vars[i].name);
    CHECK(j["variables"][i]["choices"] == vars[i].labels);
  }
  CHECK(vars[0].name == "ks0");
  CHECK(vars[19].labels == std::vector<std::string>{"3", "5", "7"});
  CHECK(vars[20].name == "e0");
  CHECK(vars[39].labels == std::vector<std::string>{"3", "4", "6"});
  CHECK(vars[40].name == "d0");
  CHECK(vars[44].labels == std::vector<std::string>{"2", "3", "4"});
  CHECK(vars[45].name == "r");
  CHECK(vars[45].labels == std::vector<std::string>{"224"});
  const auto& groups = j["groups"];
  REQUIRE(groups.size() == 4);
  CHECK(groups[0]["names"] == "ks[0..19]");
  CHECK(groups[0]["count"] == 20);
  CHECK(groups[1]["names"] == "e[0..19]");
  CHECK(groups[2]["names"] == "d[0..4]");
  CHECK(groups[2]["first"] == 40);
  CHECK(groups[3]["names"] == "r");

  // 20 + 20 + 5 variables of 3 choices, one resolution.
  CHECK(j["size"]["exact"] == k3pow45);
  CHECK(j["size"]["factors"] == "3^45");
  CHECK(j["size"]["approx"].get<double>() == doctest::Approx(space->size()).epsilon(1e-12));
  CHECK(j["distinct_networks"]["exact"] == k7371pow5);
  CHECK(j["declares_extremes"] == true);
}

TEST_CASE("space info's text form: grouped variables, exact and scientific size, distinct networks, extremes") {
  TempDir dir("cli-space-info");
  const auto r = info_with(dir, kAnalyticConfig);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("space: ofa-mobilenetv3 ") == 0);
  CHECK(r.out.find("  width = 1.0  (default)\n") != std::string::npos);
  CHECK(r.out.find("variables: 46\n") != std::string::npos);
  CHECK(r.out.find("  ks[0..19]  3 choices  {3,5,7}\n") != std::string::npos);
  CHECK(r.out.find("  e[0..19]   3 choices  {3,4,6}\n") != std::string::npos);
  CHECK(r.out.find("  d[0..4]    3 choices  {2,3,4}\n") != std::string::npos);
  CHECK(r.out.find("  r          1 choice   {224}\n") != std::string::npos);
  CHECK(r.out.find("size: " + k3pow45 + " = 3^45 (~2.95e21) architectures\n") != std::string::npos);
  CHECK(r.out.find("distinct networks: " + k7371pow5 + " (~2.18e19): fewer than the size") != std::string::npos);
  const auto space = make_plugin<OfaMobileNetV3>();
  const Architecture small(46, 0);
  const auto [macs, params] = cost_of(*space, small);
  CHECK(r.out.find("smallest: " + std::to_string(macs) + " MACs (") != std::string::npos);
  CHECK(r.out.find(std::to_string(params) + " parameters (") != std::string::npos);
  CHECK(r.out.find("\n  " + kSmallestCanonical + "\n") != std::string::npos);
}

TEST_CASE("OFA's distinct networks: one stage by brute force has 7371 canonical classes, all different networks") {
  // Stage s's choices are ks and e of its 4 slots and its depth: 3^9
  // vectors. canonicalize() must leave 9^2 + 9^3 + 9^4 = 7371 classes, and
  // the lowered networks must be exactly as many (no two classes lower to the
  // same network, no class to two): what distinct_networks() multiplies over
  // the 5 independent stages and the resolutions.
  const auto space = make_plugin<OfaMobileNetV3>();
  for (int stage : {0, 4}) {
    CAPTURE(stage);
    std::map<Architecture, std::string> class_network;  // canonical form -> its network
    std::set<std::string> networks;
    int split = 0;  // vectors of one class that lower to another network than the class's first
    for (int code = 0; code < 19683; ++code) {
      Architecture arch(OfaMobileNetV3::kVariables, 1);
      int rest = code;
      for (int slot = 0; slot < 4; ++slot) {
        arch[OfaMobileNetV3::kKsBase + 4 * stage + slot] = rest % 3, rest /= 3;
        arch[OfaMobileNetV3::kEBase + 4 * stage + slot] = rest % 3, rest /= 3;
      }
      arch[OfaMobileNetV3::kDBase + stage] = rest % 3;
      arch[OfaMobileNetV3::kRIndex] = 0;
      const std::string net = network_text(space->lower(arch));
      networks.insert(net);
      const auto [it, first] = class_network.emplace(space->canonicalize(arch), net);
      if (!first && it->second != net) ++split;
    }
    CHECK(class_network.size() == 7371);
    CHECK(networks.size() == 7371);
    CHECK(split == 0);
  }
  // And the class count the space declares: 7371^5 at one resolution, x3 at three.
  CHECK(space->distinct_networks() == k7371pow5);
  const auto three = make_plugin<OfaMobileNetV3>({{"resolutions", std::vector<int64_t>{160, 224, 192}}});
  CHECK(three->distinct_networks() == "65275966477717457553");  // 3 * 7371**5
}

TEST_CASE("OFA's smallest and largest network: count_cost of the all-first / all-last architectures, any resolution order") {
  TempDir dir("cli-space-info");
  // Resolutions out of order: the extremes take the lowest (160) and the highest (224).
  const auto space = make_plugin<OfaMobileNetV3>({{"resolutions", std::vector<int64_t>{192, 160, 224}}});
  const auto j = json_info(dir, kAnalyticConfig, {"--set", "space.resolutions=[192, 160, 224]"});
  CHECK(j["size"]["factors"] == "3^46");
  CHECK(j["size"]["exact"] == "8862938119652501095929");  // 3**46

  Architecture small(OfaMobileNetV3::kVariables, 0);  // ks 3, e 3, d 2 everywhere
  small[OfaMobileNetV3::kRIndex] = 1;                 // 160
  Architecture large(OfaMobileNetV3::kVariables, 2);  // ks 7, e 6, d 4 everywhere
  large[OfaMobileNetV3::kRIndex] = 2;                 // 224
  const auto small_cost = cost_of(*space, small);
  const auto large_cost = cost_of(*space, large);
  CHECK(j["smallest"]["macs"] == small_cost.first);
  CHECK(j["smallest"]["params"] == small_cost.second);
  CHECK(j["largest"]["macs"] == large_cost.first);
  CHECK(j["largest"]["params"] == large_cost.second);
  CHECK(j["smallest"]["arch"] == space->to_string(small));
  CHECK(j["largest"]["arch"] == space->to_string(large));
  CHECK(j["largest"]["arch"].get<std::string>().find(";d=4,4,4,4,4;r=224") != std::string::npos);

  // No architecture of the space lies outside them.
  nasctl::Rng rng(3);
  for (int i = 0; i < 500; ++i) {
    const auto c = cost_of(*space, space->sample(rng));
    CHECK(c.first >= small_cost.first);
    CHECK(c.first <= large_cost.first);
    CHECK(c.second >= small_cost.second);
    CHECK(c.second <= large_cost.second);
  }
}

TEST_CASE("space info, hurricane: size 42^6 * 43^14, every architecture a distinct network, extremes per layer") {
  TempDir dir("cli-space-info");
  const auto j = json_info(dir, kHurricane);
  CHECK(j["space"]["plugin"] == "hurricane");
  // Six layers change the shape (each stage's first: new width or stride 2)
  // and cannot skip: 42 operators; the other 14 also may skip: 43.
  CHECK(j["size"]["factors"] == "42^6 * 43^14");
  CHECK(j["size"]["exact"] == "405559071878759779501213091413056");  // 42**6 * 43**14
  CHECK(j["distinct_networks"]["exact"] == j["size"]["exact"]);
  CHECK(j["groups"][1]["names"] == "l[1..3]");

  // Independently: at each layer, the choice whose whole network (others at
  // their first choice) has the fewest / most (MACs, parameters).
  const auto space = make_plugin<HurricaneSpace>();
  const std::size_t n = space->variables().size();
  Architecture small(n, 0), large(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::pair<int64_t, int64_t> lo{}, hi{};
    for (int c = 0; c < space->variables()[i].cardinality(); ++c) {
      Architecture arch(n, 0);
      arch[i] = c;
      const auto cost = cost_of(*space, arch);
      if (c == 0 || cost < lo) lo = cost, small[i] = c;
      if (c == 0 || cost > hi) hi = cost, large[i] = c;
    }
  }
  const auto small_cost = cost_of(*space, small);
  const auto large_cost = cost_of(*space, large);
  CHECK(j["smallest"]["macs"] == small_cost.first);
  CHECK(j["smallest"]["params"] == small_cost.second);
  CHECK(j["largest"]["macs"] == large_cost.first);
  CHECK(j["largest"]["params"] == large_cost.second);
  // The printed architectures have those costs.
  CHECK(cost_of(*space, space->parse(j["smallest"]["arch"].get<std::string>())) == small_cost);
  CHECK(cost_of(*space, space->parse(j["largest"]["arch"].get<std::string>())) == large_cost);
}

TEST_CASE("a reduced hurricane by exhaustive search: extremes are the space's min and max, all 1764 networks distinct") {
  // Two searchable layers (16 -> 24 at stride 2, 24 -> 32): 42 x 42 choices,
  // all lowered and counted.
  TempDir dir("cli-space-info");
  const std::vector<std::string> reduced{"--set", "space.widths=[24, 32]",  "--set", "space.depths=[1, 1]",
                                     "--set", "space.strides=[2, 1]",   "--set", "space.resolution=32"};
  const auto j = json_info(dir, kHurricane, reduced);
  CHECK(j["size"]["exact"] == "1764");
  CHECK(j["size"]["factors"] == "42^2");
  CHECK(j["distinct_networks"]["exact"] == "1764");

  const auto space = make_plugin<HurricaneSpace>({{"widths", std::vector<int64_t>{24, 32}},
                                                  {"depths", std::vector<int64_t>{1, 1}},
                                                  {"strides", std::vector<int64_t>{2, 1}},
                                                  {"resolution", int64_t{32}}});
  REQUIRE(space->variables().size() == 2);
  std::set<std::string> networks;
  std::pair<int64_t, int64_t> lo{INT64_MAX, INT64_MAX}, hi{-1, -1};
  for (int a = 0; a < 42; ++a) {
    for (int b = 0; b < 42; ++b) {
      const nasctl::NetworkSpec spec = space->lower({a, b});
      networks.insert(network_text(spec));
      const nasctl::NetworkCost c = nasctl::count_cost(spec);
      lo = std::min(lo, std::pair{c.macs, c.params});
      hi = std::max(hi, std::pair{c.macs, c.params});
    }
  }
  CHECK(networks.size() == 1764);
  CHECK(j["smallest"]["macs"] == lo.first);
  CHECK(j["smallest"]["params"] == lo.second);
  CHECK(j["largest"]["macs"] == hi.first);
  CHECK(j["largest"]["params"] == hi.second);
}

TEST_CASE("a space without SizeExtremes: its size alone, and one line saying it does not declare its extremes") {
  TempDir dir("cli-space-info");
  fs::create_directories(dir / "plugins");
  fs::copy_file(fs::path(NASCTL_TEST_PLUGINS) / "test-space-no-extremes.so", dir / "plugins/nasctl-space-plain.so");
  const std::string config = config_with("plugin = \"ofa-mobilenetv3\"", "plugin = \"plain\"") + "\n[plugins]\npaths = [\"" +
                             (dir / "plugins") + "\"]\n";
  const auto r = info_with(dir, config);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("  a[0..2]  2 choices  {x,y}\n") != std::string::npos);
  CHECK(r.out.find("  units    3 choices  {8,16,32}\n") != std::string::npos);
  CHECK(r.out.find("size: 24 = 2^3 * 3 (24) architectures\n") != std::string::npos);
  CHECK(r.out.find("distinct networks: not declared by the space (at most the size)\n") != std::string::npos);
  CHECK(r.out.find("\nsmallest/largest: the space does not declare its extremes") != std::string::npos);
  CHECK(r.out.find("MACs") == std::string::npos);

  const auto j = json_info(dir, config);
  CHECK(j["size"]["exact"] == "24");
  CHECK(j["declares_extremes"] == false);
  CHECK(j["distinct_networks"].is_null());
  CHECK(j["smallest"].is_null());
  CHECK(j["largest"].is_null());
}

TEST_CASE("space info on bad configs: one line naming the file and the key") {
  TempDir dir("cli-space-info");
  SUBCASE("no [space]") {
    const auto r = info_with(dir, "seed = 1\n");
    CHECK_USER_ERROR(r, dir / "space.toml", "key 'space': is required", "fix:");
  }
  SUBCASE("an unknown space plugin") {
    const auto r = info_with(dir, config_with("plugin = \"ofa-mobilenetv3\"", "plugin = \"ofa-mobilenet\""));
    CHECK_USER_ERROR(r, dir / "space.toml:4:1: key 'space.plugin': no space plugin named 'ofa-mobilenet'",
                     "did you mean 'ofa-mobilenetv3'", "fix:");
  }
  SUBCASE("a space key the plugin refuses") {
    const auto r = info_with(dir, kAnalyticConfig, {"--set", "space.width=0.9"});
    CHECK_USER_ERROR(r, "key 'space.width'", "fix:");
  }
  SUBCASE("a key the space does not have") {
    const auto r = info_with(dir, config_with("plugin = \"ofa-mobilenetv3\"", "plugin = \"ofa-mobilenetv3\"\nwidht = 1.2"));
    CHECK_USER_ERROR(r, dir / "space.toml:6:", "space.widht", "fix:");
  }
  SUBCASE("a missing config file") {
    const auto r = run_nasctl({"space", "info", "-c", dir / "absent.toml"});
    CHECK_USER_ERROR(r, dir / "absent.toml");
  }
}

TEST_CASE("a config of [space] alone describes the space: space info and validate take it, search says what it lacks") {
  TempDir dir("cli-space-only");
  const std::string space_only = "seed = 3\n[space]\nplugin = \"ofa-mobilenetv3\"\nwidth = 1.2\nresolutions = [160, 224]\n";
  const nlohmann::json alone = json_info(dir, space_only);
  // The same space inside a complete search config gives the same answer.
  const nlohmann::json in_search =
      json_info(dir, config_with("plugin = \"ofa-mobilenetv3\"", "plugin = \"ofa-mobilenetv3\"\nwidth = 1.2\n"
                                                                "resolutions = [160, 224]"));
  for (const char* key : {"variables", "size", "distinct_networks", "smallest", "largest"}) {
    CAPTURE(key);
    CHECK(alone.at(key) == in_search.at(key));
  }
  CHECK(alone.at("space").at("config") == in_search.at("space").at("config"));
  CHECK(alone.at("variables").size() == 46);

  write_text(dir / "space.toml", space_only);
  const CliResult valid = run_nasctl({"validate", "-c", dir / "space.toml"});
  INFO("stderr: " << valid.err);
  CHECK(valid.exit_code == 0);
  CHECK(valid.out.find("valid (space ofa-mobilenetv3 only") != std::string::npos);

  const CliResult search = run_nasctl({"search", "-c", dir / "space.toml", "-o", dir / "run"});
  CHECK_USER_ERROR(search, dir / "space.toml", "key 'search': is required to search",
                   "only describes a space", "fix:");
  CHECK(!fs::exists(dir / "run"));

  // A search part without [search] is a forgotten [search], not a space file.
  const CliResult forgotten = info_with(dir, space_only + "[budget]\nevaluations = 10\n");
  CHECK_USER_ERROR(forgotten, dir / "space.toml", "key 'search': is required", "fix: add a [search] table");
}
