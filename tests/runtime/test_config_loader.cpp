// The config loader: TOML syntax and structure, --set overrides, and errors
// that name file:line:col (or the --set) and the fix. Plugin tables are only
// collected here; validate_table checks them (test_plugin_table.cpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/runtime/config.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using nasctl::runtime::load_config_file;
using nasctl::runtime::load_config_text;
using nasctl::runtime::RunConfig;

namespace {

// Line numbers matter: the error tests below point into this text.
const std::string kConfig = R"(seed = 7
out = "runs/x"

[space]
plugin = "ofa-mobilenetv3"

[search]
plugin = "nsga2"
population = 8

[budget]
evaluations = 40

[[hardware]]
name = "cost"
plugin = "analytic"
bytes_per_element = 4

[[hardware]]
name = "mem"
plugin = "analytic"

[[objectives]]
metric = "cost.macs"
goal = "min"

[[constraints]]
metric = "cost.params"
max = 6.0e6
)";

std::string replaced(const std::string& from, const std::string& to) {
  std::string text = kConfig;
  const auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

RunConfig load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_config_text(text, "cfg.toml", "/base", overrides);
}

std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    load(text, overrides);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a complete config resolves into its parts") {
  const RunConfig c = load(kConfig);
  CHECK(c.file == "cfg.toml");
  CHECK(c.base_dir == "/base");
  CHECK(c.seed == 7);
  CHECK(c.out == "runs/x");
  CHECK(c.space.plugin == "ofa-mobilenetv3");
  CHECK(c.search.plugin == "nsga2");
  REQUIRE(c.hardware.size() == 2);
  CHECK(c.hardware[0].instance == "cost");
  CHECK(c.hardware[0].key_path == "hardware[0]");
  CHECK(c.hardware[1].instance == "mem");
  CHECK_FALSE(c.accuracy.has_value());
  REQUIRE(c.objectives.size() == 1);
  CHECK(c.objectives[0].metric == "cost.macs");
  CHECK(c.objectives[0].goal == Goal::Minimize);
  REQUIRE(c.constraints.size() == 1);
  CHECK(c.constraints[0].bound == Bound::AtMost);
  CHECK(c.constraints[0].limit == 6.0e6);
  CHECK(c.budget_evaluations == 40);
  CHECK(c.budget_seconds == 0.0);
}

TEST_CASE("plugin keys are collected with the file:line:col of each value, without plugin and name") {
  const RunConfig c = load(kConfig);
  const auto& entries = c.search.raw.entries();
  REQUIRE(entries.count("population") == 1);
  CHECK(entries.count("plugin") == 0);
  CHECK(std::get<int64_t>(entries.at("population").value) == 8);
  CHECK(entries.at("population").where == "cfg.toml:9:14");
  CHECK(c.search.where == "cfg.toml:7:1");
  CHECK(c.hardware[0].raw.entries().count("name") == 0);
  CHECK(c.hardware[0].raw.entries().at("bytes_per_element").where == "cfg.toml:17:21");
}

TEST_CASE("an absent seed defaults to 42 and the [accuracy] table takes its instance name") {
  std::string text = replaced("seed = 7\n", "");
  text += "[accuracy]\nplugin = \"table\"\nname = \"acc\"\nfiles = \"t.csv\"\n";
  const RunConfig c = load(text);
  CHECK(c.seed == 42);
  REQUIRE(c.accuracy.has_value());
  CHECK(c.accuracy->instance == "acc");
  CHECK(c.accuracy->raw.entries().count("name") == 0);
}

TEST_CASE("--set overrides a plugin key and the resolved TOML shows the new value") {
  const RunConfig c = load(kConfig, {"search.population=12"});
  const auto& entry = c.search.raw.entries().at("population");
  CHECK(std::get<int64_t>(entry.value) == 12);
  CHECK(entry.where == "--set search.population=12");
  CHECK(has(c.resolved_toml, "population = 12"));
  CHECK_FALSE(has(c.resolved_toml, "population = 8"));
}

TEST_CASE("--set addresses an element of [[hardware]] by its instance name or by index") {
  const RunConfig by_name = load(kConfig, {"hardware.mem.bytes_per_element=2"});
  CHECK(std::get<int64_t>(by_name.hardware[1].raw.entries().at("bytes_per_element").value) == 2);
  CHECK(std::get<int64_t>(by_name.hardware[0].raw.entries().at("bytes_per_element").value) == 4);
  const RunConfig by_index = load(kConfig, {"hardware[0].bytes_per_element=1"});
  CHECK(std::get<int64_t>(by_index.hardware[0].raw.entries().at("bytes_per_element").value) == 1);
  CHECK(by_index.hardware[0].raw.entries().at("bytes_per_element").where == "--set hardware[0].bytes_per_element=1");
}

TEST_CASE("--set creates missing tables and keys, and takes a value that is not TOML as a string") {
  const RunConfig c = load(kConfig, {"run.threads=3", "out=runs/other dir", "seed=9", "budget.seconds=2.5"});
  CHECK(c.threads == 3);
  CHECK(c.out == "runs/other dir");
  CHECK(c.seed == 9);
  CHECK(c.budget_seconds == 2.5);
  CHECK(c.budget_evaluations == 40);
}

TEST_CASE("relative plugin paths resolve against the config's folder") {
  const RunConfig c = load(kConfig + "[plugins]\npaths = [\"plug\", \"/abs/p\"]\n");
  CHECK(c.plugin_paths == std::vector<std::string>{"/base/plug", "/abs/p"});
}

TEST_CASE("malformed TOML is an error at file:line:col") {
  const std::string e = error_of(replaced("seed = 7", "seed = "));
  CHECK(e.find("cfg.toml:1:") == 0);
  CHECK(has(e, "invalid TOML"));
  CHECK(has(e, "fix:"));
  const std::string header = error_of(replaced("[[objectives]]", "[[objectives]"));
  CHECK(header.find("cfg.toml:23:") == 0);
}

TEST_CASE("a value of the wrong type is an error at its file:line:col") {
  CHECK(error_of(replaced("seed = 7", "seed = \"x\"")).find("cfg.toml:1:8: key 'seed': expected integer, got \"x\"; fix: give integer, e.g. seed = 42") == 0);
  CHECK(error_of(replaced("evaluations = 40", "evaluations = 2.5")).find("cfg.toml:12:15: key 'budget.evaluations': expected integer, got 2.5") == 0);
  CHECK(error_of(replaced("plugin = \"nsga2\"", "plugin = 2")).find("cfg.toml:8:10: key 'search.plugin': expected a string") == 0);
  CHECK(error_of(kConfig + "[run]\nthreads = \"4\"\n").find("cfg.toml:31:11: key 'run.threads': expected integer, got \"4\"") == 0);
}

TEST_CASE("an unknown top-level key is an error with a suggestion") {
  const std::string e = error_of("seeed = 3\n" + kConfig);
  CHECK(e.find("cfg.toml:1:9: key 'seeed': unknown key; did you mean 'seed'?") == 0);
  CHECK(has(e, "fix:"));
  CHECK(has(error_of(kConfig + "[constraint]\nmetric = \"x\"\n"), "key 'constraint': unknown key; did you mean 'constraints'?"));
}

TEST_CASE("objectives need a metric and a goal of min or max") {
  const std::string goal = error_of(replaced("goal = \"min\"", "goal = \"up\""));
  CHECK(goal.find("cfg.toml:25:8: key 'objectives[0].goal': \"up\" is not allowed; fix: use one of \"min\", \"max\"") == 0);
  CHECK(error_of(replaced("goal = \"min\"", "")).find("cfg.toml:23:1: key 'objectives[0].goal': is required; fix: add goal = ...") == 0);
  CHECK(error_of(replaced("metric = \"cost.macs\"", "metric = \"\"")).find("cfg.toml:24:10: key 'objectives[0].metric': is empty; fix:") == 0);
  CHECK(error_of(replaced("metric = \"cost.macs\"", "")).find("cfg.toml:23:1: key 'objectives[0].metric': is required; fix:") == 0);
  CHECK(has(error_of(replaced("goal = \"min\"", "goal = \"min\"\nweight = 2")), "key 'objectives[0].weight': unknown key"));
  const std::string none = error_of(replaced("[[objectives]]\nmetric = \"cost.macs\"\ngoal = \"min\"\n", ""));
  CHECK(none.find("cfg.toml: key 'objectives': is required; fix:") == 0);
}

TEST_CASE("a constraint needs exactly one of max and min") {
  const std::string both = error_of(replaced("max = 6.0e6", "max = 6.0e6\nmin = 1"));
  CHECK(both.find("cfg.toml:27:1: key 'constraints[0]': has both max and min; fix:") == 0);
  const std::string neither = error_of(replaced("max = 6.0e6", ""));
  CHECK(neither.find("cfg.toml:27:1: key 'constraints[0]': has neither max nor min; fix:") == 0);
  const RunConfig at_least = load(replaced("max = 6.0e6", "min = 5"));
  CHECK(at_least.constraints[0].bound == Bound::AtLeast);
  CHECK(at_least.constraints[0].limit == 5.0);
}

TEST_CASE("a budget is required and must be positive") {
  const std::string none = error_of(replaced("[budget]\nevaluations = 40\n", ""));
  CHECK(none == "cfg.toml: key 'budget': no budget; fix: add [budget] with evaluations = N and/or seconds = S");
  CHECK(error_of(replaced("evaluations = 40", "evaluations = 0")).find("cfg.toml:12:15: key 'budget.evaluations': value 0 is out of range; fix: use a value >= 1") == 0);
  CHECK(error_of(replaced("evaluations = 40", "seconds = 0")).find("cfg.toml:12:11: key 'budget.seconds': must be > 0; fix:") == 0);
  CHECK(error_of(replaced("evaluations = 40", "seconds = -1")).find("cfg.toml:12:11: key 'budget.seconds': must be > 0; fix:") == 0);
  CHECK(has(error_of(replaced("evaluations = 40", "evaluation = 40")), "key 'budget.evaluation': unknown key; did you mean 'evaluations'?"));
  CHECK(load(replaced("evaluations = 40", "seconds = 5")).budget_seconds == 5.0);
}

TEST_CASE("hardware instances need distinct names without dots") {
  const std::string twice = error_of(replaced("name = \"mem\"", "name = \"cost\""));
  CHECK(twice.find("cfg.toml:20:8: key 'hardware[1].name': instance name 'cost' is used twice; fix:") == 0);
  CHECK(error_of(replaced("name = \"mem\"\n", "")).find("cfg.toml:19:1: key 'hardware[1].name': is required; fix:") == 0);
  CHECK(error_of(replaced("name = \"mem\"", "name = \"a.b\"")).find("cfg.toml:20:8: key 'hardware[1].name': expected a non-empty string") == 0);
}

TEST_CASE("a config without any metric provider is refused") {
  std::string text = kConfig;
  text.erase(text.find("[[hardware]]"), text.find("[[objectives]]") - text.find("[[hardware]]"));
  CHECK(error_of(text).find("cfg.toml: key 'hardware': no metric provider configured; fix:") == 0);
}

TEST_CASE("a missing [space] or [search] table is refused") {
  CHECK(error_of(replaced("[space]\nplugin = \"ofa-mobilenetv3\"\n", "")).find("cfg.toml: key 'space': is required; fix:") == 0);
  CHECK(error_of(replaced("plugin = \"nsga2\"\n", "")).find("cfg.toml:7:1: key 'search.plugin': is required; fix:") == 0);
}

TEST_CASE("--set without '=' or with an empty key segment is an error naming the --set") {
  CHECK(error_of(kConfig, {"nokey"}) == "--set nokey: expected dotted.key=value; fix: e.g. --set search.population=40");
  CHECK(error_of(kConfig, {"=3"}).find("--set =3: expected dotted.key=value") == 0);
  CHECK(error_of(kConfig, {"search..x=3"}).find("--set search..x=3: empty key segment; fix:") == 0);
  CHECK(error_of(kConfig, {"seed.x=3"}).find("--set seed.x=3: 'seed' is a value, not a table; fix:") == 0);
}

TEST_CASE("--set on a missing array element is an error with the number of elements") {
  CHECK(error_of(kConfig, {"hardware[5].x=1"}) == "--set hardware[5].x=1: 'hardware' has 2 elements; fix: use an index below that");
  CHECK(error_of(kConfig, {"hardware.gpu.x=1"}).find("--set hardware.gpu.x=1: no element of 'hardware' is named 'gpu'; fix:") == 0);
  CHECK(error_of(kConfig, {"hardware[-1].x=1"}).find("--set hardware[-1].x=1: negative index") == 0);
  CHECK(error_of(kConfig, {"hardware[x].x=1"}).find("--set hardware[x].x=1: bad index") == 0);
  CHECK(error_of(kConfig, {"search[0].x=1"}).find("--set search[0].x=1: 'search' is not a list; fix:") == 0);
}

TEST_CASE("--set naming a whole table element is refused instead of silently ignored") {
  CHECK(error_of(kConfig, {"hardware[0]=2"}).find("--set hardware[0]=2: names a whole table; fix:") == 0);
  CHECK(error_of(kConfig, {"hardware.cost=2"}).find("--set hardware.cost=2: names a whole table; fix:") == 0);
}

TEST_CASE("a bad value given by --set is reported at the --set, not at a file line") {
  CHECK(error_of(kConfig, {"seed=x"}).find("--set seed=x: key 'seed': expected integer") == 0);
  CHECK(error_of(kConfig, {"budget.evaluations=0"}).find("--set budget.evaluations=0: key 'budget.evaluations': value 0 is out of range") == 0);
  CHECK(error_of(kConfig, {"objectives[0].goal=up"}).find("--set objectives[0].goal=up: key 'objectives[0].goal'") == 0);
  CHECK(error_of(kConfig, {"seeed=1"}).find("--set seeed=1: key 'seeed': unknown key; did you mean 'seed'?") == 0);
}

TEST_CASE("a config file that cannot be read is an error naming it and the -c option") {
  const std::string e = [] {
    try {
      load_config_file("/nonexistent/cfg.toml", {});
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  }();
  CHECK(e.find("/nonexistent/cfg.toml: cannot read config file; fix:") == 0);
}

TEST_CASE("a config file's relative paths resolve against its own folder and errors name the file") {
  nasctl::test::TempDir dir("config");
  const std::string path = dir / "cfg.toml";
  nasctl::test::write_text(path, kConfig + "[plugins]\npaths = [\"plug\"]\n");
  const RunConfig c = load_config_file(path, {});
  CHECK(c.base_dir == dir.path().string());
  CHECK(c.plugin_paths == std::vector<std::string>{(dir.path() / "plug").string()});
  nasctl::test::write_text(path, replaced("seed = 7", "seed = -1"));
  try {
    load_config_file(path, {});
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find(path + ":1:8: key 'seed': value -1 is out of range; fix: use a value >= 0") == 0);
  }
}
