// `nasctl plugins`: listing, showing keys, and the loader's refusals of files
// that are not usable plugins (each one line naming the file and the fix).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "nasctl/plugin.hpp"
#include "configs.hpp"
#include "temp_dir.hpp"

using namespace nasctl::test;
namespace fs = std::filesystem;

namespace {

// Copies a test plugin (built into tests/plugins, outside every plugin
// folder) into `dir` under `name`; returns the new path.
std::string install(const TempDir& dir, const std::string& built, const std::string& name) {
  const std::string to = dir / name;
  fs::copy_file(fs::path(NASCTL_TEST_PLUGINS) / built, to, fs::copy_options::overwrite_existing);
  return to;
}

std::string random_bytes_file(const TempDir& dir, const std::string& name) {
  std::mt19937 rng(12345);
  std::string bytes(4096, '\0');
  for (auto& b : bytes) b = static_cast<char>(rng() & 0xff);
  write_text(dir / name, bytes);
  return dir / name;
}

// A run config using the plugins of DIR/plugins and `search` as strategy.
std::string config_using(const TempDir& dir, const std::string& search_table) {
  std::string text = config_with("[search]\nplugin = \"nsga2\"\npopulation = 8\n", search_table);
  return text + "\n[plugins]\npaths = [\"" + (dir / "plugins") + "\"]\n";
}

}  // namespace

TEST_CASE("plugins lists the built-in plugins with kind, name, version and file") {
  const auto r = run_nasctl({"plugins"});
  REQUIRE(r.exit_code == 0);
  for (const char* name : {"ofa-mobilenetv3", "analytic", "nsga2", "random"}) CHECK(r.out.find(name) != std::string::npos);
  CHECK(r.out.find("KIND") == 0);
  CHECK(r.out.find("nasctl-search-nsga2.so") != std::string::npos);
}

TEST_CASE("plugins --json is a JSON array of at least four plugins of three kinds") {
  const auto r = run_nasctl({"plugins", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.is_array());
  CHECK(j.size() >= 4);
  std::set<std::string> kinds, names;
  for (const auto& p : j) {
    kinds.insert(p.at("kind").get<std::string>());
    names.insert(p.at("name").get<std::string>());
    CHECK_FALSE(p.at("version").get<std::string>().empty());
    CHECK(fs::exists(p.at("file").get<std::string>()));
  }
  CHECK(kinds.size() >= 3);
  for (const char* kind : {"space", "search", "hardware"}) CHECK(kinds.count(kind) == 1);
  for (const char* name : {"ofa-mobilenetv3", "analytic", "nsga2", "random"}) CHECK(names.count(name) == 1);
}

TEST_CASE("plugins show nsga2 lists its keys with defaults and ranges") {
  const auto r = run_nasctl({"plugins", "show", "nsga2"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("search plugin 'nsga2' 1.0.0") == 0);
  for (const char* part : {"population", "default 50", "crossover_prob", "mutation_prob", "optional", "max_redraws", "default 20"})
    CHECK_MESSAGE(r.out.find(part) != std::string::npos, part);
}

TEST_CASE("plugins show --json gives each key's type, default and bounds") {
  const auto r = run_nasctl({"plugins", "show", "nsga2", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["kind"] == "search");
  CHECK(j["version"] == "1.0.0");
  const auto& population = j["keys"][0];
  CHECK(population["name"] == "population");
  CHECK(population["type"] == "integer");
  CHECK(population["default"] == "50");
  CHECK(population["min"] == 4.0);
  CHECK(population["required"] == false);
}

TEST_CASE("plugins show of an unknown name: error with did-you-mean") {
  const auto r = run_nasctl({"plugins", "show", "nsga"});
  CHECK_USER_ERROR(r, "no plugin named 'nsga'; did you mean 'nsga2'?", "fix: run `nasctl plugins`");
}

TEST_CASE("plugins --path of a folder that does not exist: error naming it") {
  TempDir dir("cli-plugins");
  const auto r = run_nasctl({"plugins", "--path", dir / "nope"});
  CHECK_USER_ERROR(r, dir / "nope: plugin folder does not exist", "fix:");
}

TEST_CASE("a plugin in an extra folder is listed and shown") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  install(dir, "test-throwing.so", "plugins/nasctl-search-throwing.so");
  const auto list = run_nasctl({"plugins", "--path", dir / "plugins"});
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("throwing") != std::string::npos);
  const auto show = run_nasctl({"plugins", "show", "throwing", "--path", dir / "plugins/nasctl-search-throwing.so"});
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find("default \"runtime\"") != std::string::npos);
}

TEST_CASE("a corrupt .so (random bytes) in a plugin folder: error naming the file") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  const std::string bad = random_bytes_file(dir, "plugins/nasctl-search-bad.so");
  const auto by_path = run_nasctl({"plugins", "--path", dir / "plugins"});
  CHECK_USER_ERROR(by_path, bad + ": not a loadable shared library (", "fix:");

  // A run loads only the plugins its config names: the broken file stops a
  // run that selects it, and no other.
  write_text(dir / "cfg.toml", kAnalyticConfig + "\n[plugins]\npaths = [\"plugins\"]\n");
  const auto unrelated = run_nasctl({"validate", "-c", dir / "cfg.toml"});
  CHECK(unrelated.exit_code == 0);
  std::string selecting = kAnalyticConfig + "\n[plugins]\npaths = [\"plugins\"]\n";
  selecting.replace(selecting.find("plugin = \"nsga2\""), std::string("plugin = \"nsga2\"").size(), "plugin = \"bad\"");
  write_text(dir / "cfg.toml", selecting);
  const auto by_config = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "out", "--no-progress"});
  CHECK_USER_ERROR(by_config, bad + ": not a loadable shared library (", "fix:");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a valid shared library that is not a nasctl plugin: error naming the file") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  const std::string so = install(dir, "test-not-a-plugin.so", "plugins/nasctl-search-other.so");
  const auto r = run_nasctl({"plugins", "--path", dir / "plugins"});
  CHECK_USER_ERROR(r, so + ": not a nasctl plugin (no nasctl_plugin_* symbols); fix:");
}

TEST_CASE("a plugin built for another SDK ABI: refused before anything in it runs") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  const std::string so = install(dir, "test-wrong-abi.so", "plugins/nasctl-search-wrongabi.so");
  const auto r = run_nasctl({"plugins", "--path", dir / "plugins"});
  CHECK_USER_ERROR(r, so + ": built for nasctl SDK ABI 999, this nasctl has ABI " +
                             std::to_string(nasctl::kSdkAbiVersion) + "; fix: rebuild the plugin");
  write_text(dir / "cfg.toml", config_using(dir, "[search]\nplugin = \"wrongabi\"\n"));
  const auto search = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "out", "--no-progress"});
  CHECK_USER_ERROR(search, so + ": built for nasctl SDK ABI 999");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a plugin whose factory throws: error naming the plugin, its file and the fix") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  const std::string so = install(dir, "test-throwing.so", "plugins/nasctl-search-throwing.so");
  write_text(dir / "cfg.toml", config_using(dir, "[search]\nplugin = \"throwing\"\n"));
  const auto r = run_nasctl({"search", "-c", dir / "cfg.toml", "-o", dir / "out", "--no-progress"});
  CHECK_USER_ERROR(r, "search plugin 'throwing' (" + so + ") failed to start: cannot allocate the population buffer",
                   "fix: check its config keys with `nasctl plugins show throwing`");
  CHECK_FALSE(fs::exists(dir / "out"));
}

TEST_CASE("a plugin that rejects its config through ctx.config.fail: the error points at the key") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  install(dir, "test-throwing.so", "plugins/nasctl-search-throwing.so");
  write_text(dir / "cfg.toml", config_using(dir, "[search]\nplugin = \"throwing\"\nfail = \"config\"\n"));
  const auto r = run_nasctl({"validate", "-c", dir / "cfg.toml"});
  CHECK_USER_ERROR(r, dir / "cfg.toml:9:8: key 'search.fail': is \"config\", which this plugin refuses; fix:");
}

TEST_CASE("two plugin files with one kind and name: error naming both files") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  const std::string a = install(dir, "test-throwing.so", "plugins/nasctl-search-a.so");
  const std::string b = install(dir, "test-throwing.so", "plugins/nasctl-search-b.so");
  const auto r = run_nasctl({"plugins", "--path", dir / "plugins"});
  CHECK_USER_ERROR(r, b + ": a search plugin named 'throwing' is already loaded from " + a, "fix: remove one");
}

TEST_CASE("a copy of a built-in plugin in an extra folder clashes with the built-in one") {
  TempDir dir("cli-plugins");
  fs::create_directories(dir / "plugins");
  fs::copy_file(fs::path(NASCTL_PLUGIN_DIR) / "nasctl-hardware-analytic.so", dir / "plugins/nasctl-hardware-copy.so");
  const auto r = run_nasctl({"plugins", "--path", dir / "plugins"});
  CHECK_USER_ERROR(r, dir / "plugins/nasctl-hardware-copy.so: a hardware plugin named 'analytic' is already loaded from",
                   "nasctl-hardware-analytic.so", "fix:");
}

TEST_CASE("plugins show of a name two kinds share shows both, and kind/name picks one") {
  const auto both = run_nasctl({"plugins", "show", "hurricane"});
  REQUIRE(both.exit_code == 0);
  CHECK(both.out.find("space plugin 'hurricane'") != std::string::npos);
  CHECK(both.out.find("search plugin 'hurricane'") != std::string::npos);
  const auto one = run_nasctl({"plugins", "show", "space/hurricane"});
  REQUIRE(one.exit_code == 0);
  CHECK(one.out.find("space plugin 'hurricane'") != std::string::npos);
  CHECK(one.out.find("search plugin") == std::string::npos);
}

TEST_CASE("plugins show --json gives one object for one plugin and an array when two kinds share the name") {
  const auto one = run_nasctl({"plugins", "show", "nsga2", "--json"});
  REQUIRE(one.exit_code == 0);
  CHECK(nlohmann::json::parse(one.out).is_object());
  const auto both = run_nasctl({"plugins", "show", "hurricane", "--json"});
  REQUIRE(both.exit_code == 0);
  const auto j = nlohmann::json::parse(both.out);
  REQUIRE(j.is_array());
  CHECK(j.size() == 2);
}
