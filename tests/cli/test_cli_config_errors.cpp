// Bad configs and --set overrides: `nasctl search` exits 2 with one line
// naming file:line:col (or the --set) and the fix, and creates no output folder.
#include <doctest/doctest.h>

#include <filesystem>

#include "cli_runner.hpp"
#include "configs.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

// Writes `config` to DIR/bad.toml and runs a search into DIR/out with it.
CliResult search_with(const TempDir& dir, const std::string& config, const std::vector<std::string>& extra = {}) {
  write_text(dir / "bad.toml", config);
  std::vector<std::string> args{"search", "-c", dir / "bad.toml", "-o", dir / "out", "--no-progress"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_nasctl(args);
}

const std::string kConstraint = "\n[[constraints]]\nmetric = \"cost.params\"\n";  // lines 29-30

}  // namespace

TEST_CASE("malformed TOML: error at file:line:col, no output folder") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("population = 8", "population = "));
  CHECK_USER_ERROR(r, dir / "bad.toml:9:", "invalid TOML", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a string where a plugin key wants an integer: error at its file:line:col with the expected type") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("population = 8", "population = \"x\""));
  CHECK_USER_ERROR(r, dir / "bad.toml:9:14: key 'search.population': expected integer, got \"x\"", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("an unknown top-level key: error with did-you-mean") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("seed = 7", "seed = 7\nseeed = 3"));
  CHECK_USER_ERROR(r, dir / "bad.toml:2:9: key 'seeed': unknown key; did you mean 'seed'?", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("an unknown plugin key: error with did-you-mean and the plugin's keys") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("population = 8", "populaton = 8"));
  CHECK_USER_ERROR(r, dir / "bad.toml:9:13: key 'search.populaton': unknown key for plugin 'nsga2'; did you mean 'population'?",
                   "its keys: population, crossover_prob", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("an unknown key of a hardware plugin: error naming the instance's table") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("plugin = \"analytic\"", "plugin = \"analytic\"\nbytes_per_elem = 2"));
  CHECK_USER_ERROR(r, dir / "bad.toml:20:18: key 'hardware[0].bytes_per_elem'", "did you mean 'bytes_per_element'?");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("an unknown plugin name: error with did-you-mean and the known plugins") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("plugin = \"nsga2\"", "plugin = \"nsga\""));
  CHECK_USER_ERROR(r, dir / "bad.toml:7:1: key 'search.plugin': no search plugin named 'nsga'; did you mean 'nsga2'?",
                   "known: ", "nsga2", "random", "fix: run `nasctl plugins`");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("an unknown metric in objectives: error with did-you-mean and the available metrics") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("metric = \"cost.macs\"", "metric = \"cost.mac\""));
  CHECK_USER_ERROR(r, dir / "bad.toml:21:1: key 'objectives[0].metric': no provider gives metric 'cost.mac'; did you mean 'cost.macs'?",
                   "available: cost.macs, cost.params, cost.peak_activation_bytes", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("an unknown metric in constraints: error naming the constraint") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, kAnalyticConfig + "\n[[constraints]]\nmetric = \"cpu.latency_ms\"\nmax = 20\n");
  CHECK_USER_ERROR(r, dir / "bad.toml:29:1: key 'constraints[0].metric': no provider gives metric 'cpu.latency_ms'",
                   "available: cost.macs", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a constraint with both max and min: error naming the constraint") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, kAnalyticConfig + kConstraint + "max = 6e6\nmin = 1e6\n");
  CHECK_USER_ERROR(r, dir / "bad.toml:29:1: key 'constraints[0]': has both max and min", "fix: give exactly one of max");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("goal = \"up\": error at the goal's position") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("goal = \"min\"", "goal = \"up\""));
  CHECK_USER_ERROR(r, dir / "bad.toml:23:8: key 'objectives[0].goal': \"up\" is not allowed", "fix: use one of \"min\", \"max\"");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("no budget: error naming the file and the missing table") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("[budget]\nevaluations = 40\n", ""));
  CHECK_USER_ERROR(r, dir / "bad.toml: key 'budget': no budget; fix: add [budget]");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("budget.evaluations = 0: error at its position") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("evaluations = 40", "evaluations = 0"));
  CHECK_USER_ERROR(r, dir / "bad.toml:12:15: key 'budget.evaluations': value 0 is out of range", "fix: use a value >= 1");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("population = 1 is out of the plugin's declared range: error with the range") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, config_with("population = 8", "population = 1"));
  CHECK_USER_ERROR(r, dir / "bad.toml:9:14: key 'search.population': value 1 is out of range; fix: use a value >= 4");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("two [[hardware]] tables with one name: error at the second name") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, kAnalyticConfig + "\n[[hardware]]\nname = \"cost\"\nplugin = \"analytic\"\n");
  CHECK_USER_ERROR(r, dir / "bad.toml:30:8: key 'hardware[1].name': instance name 'cost' is used twice", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a config file that does not exist: error naming it") {
  TempDir dir("cli-config");
  const auto r = run_nasctl({"search", "-c", dir / "missing.toml", "-o", dir / "out", "--no-progress"});
  CHECK_USER_ERROR(r, dir / "missing.toml: cannot read config file", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a [plugins] path that does not exist: error naming the folder") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, kAnalyticConfig + "\n[plugins]\npaths = [\"no-such-folder\"]\n");
  CHECK_USER_ERROR(r, dir / "no-such-folder: plugin folder does not exist", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("--set without '=': error naming the --set and showing the syntax") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, kAnalyticConfig, {"--set", "search.population"});
  CHECK_USER_ERROR(r, "--set search.population: expected dotted.key=value; fix: e.g. --set search.population=40");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("--set on a missing array element: error with the number of elements") {
  TempDir dir("cli-config");
  const auto by_index = search_with(dir, kAnalyticConfig, {"--set", "hardware[3].bytes_per_element=2"});
  CHECK_USER_ERROR(by_index, "--set hardware[3].bytes_per_element=2: 'hardware' has 1 elements; fix:");
  const auto by_name = search_with(dir, kAnalyticConfig, {"--set", "hardware.gpu.bytes_per_element=2"});
  CHECK_USER_ERROR(by_name, "--set hardware.gpu.bytes_per_element=2: no element of 'hardware' is named 'gpu'", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("--set naming a whole table: error instead of silently ignoring it") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, kAnalyticConfig, {"--set", "hardware[0]=2"});
  CHECK_USER_ERROR(r, "--set hardware[0]=2: names a whole table; fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a bad value given by --set: error naming the --set, not the file") {
  TempDir dir("cli-config");
  const auto r = search_with(dir, kAnalyticConfig, {"--set", "search.population=many"});
  CHECK_USER_ERROR(r, "--set search.population=many: key 'search.population': expected integer, got \"many\"", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("validate reports the same errors with exit code 2") {
  TempDir dir("cli-config");
  write_text(dir / "bad.toml", config_with("population = 8", "population = 1"));
  const auto r = run_nasctl({"validate", "-c", dir / "bad.toml"});
  CHECK_USER_ERROR(r, dir / "bad.toml:9:14: key 'search.population': value 1 is out of range");
  CHECK(r.out.empty());
}
