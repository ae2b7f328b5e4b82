// validate_table: a plugin's TOML table checked against the keys the
// plugin declares, converted to the declared types and completed with defaults.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/runtime/config.hpp"

using namespace nasctl;
using nasctl::runtime::PluginSection;
using nasctl::runtime::validate_table;

namespace {

// The keys of an imaginary plugin "demo", one of each kind of declaration.
std::vector<ConfigKey> demo_keys() {
  return {ConfigKey::integer("population", 50, "Population size").at_least(4),
          ConfigKey::real("rate", 0.5, "A probability").at_least(0).at_most(1),
          ConfigKey::choice("mode", "fast", {"fast", "exact"}, "How to run"),
          ConfigKey::list("files", ConfigType::StringList, std::vector<std::string>{}, "Input files"),
          ConfigKey::list("scales", ConfigType::FloatList, std::vector<double>{1.0}, "Scale factors"),
          ConfigKey::list("sizes", ConfigType::IntList, std::vector<int64_t>{224}, "Sizes").at_least(32),
          ConfigKey::boolean("verbose", false, "Say more"),
          ConfigKey::optional("limit", ConfigType::Float, "An optional bound")};
}

// The section as config.cpp builds it: each value with the file:line:col it
// came from (line 4 onwards, in the order given).
PluginSection section(const std::vector<std::pair<std::string, ConfigValue>>& values) {
  PluginSection s;
  s.plugin = "demo";
  s.instance = "search";
  s.key_path = "search";
  s.where = "cfg.toml:3:1";
  std::map<std::string, PluginConfig::Entry> entries;
  int line = 4;
  for (const auto& [key, value] : values) entries[key] = {value, "cfg.toml:" + std::to_string(line++) + ":14"};
  s.raw = PluginConfig("search", "/base", "cfg.toml", std::move(entries));
  return s;
}

std::string error_of(const std::vector<std::pair<std::string, ConfigValue>>& values,
                     const std::vector<ConfigKey>& keys = demo_keys()) {
  try {
    validate_table(section(values), keys);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("absent keys get their declared defaults, marked as defaults") {
  const PluginConfig c = validate_table(section({}), demo_keys());
  CHECK(c.get_int("population") == 50);
  CHECK(c.get_double("rate") == doctest::Approx(0.5));
  CHECK(c.get_string("mode") == "fast");
  CHECK(c.get_strings("files").empty());
  CHECK(c.get_doubles("scales") == std::vector<double>{1.0});
  CHECK(c.get_ints("sizes") == std::vector<int64_t>{224});
  CHECK_FALSE(c.get_bool("verbose"));
  CHECK_FALSE(c.has("limit"));
  CHECK(c.entries().at("population").where == "default");
  CHECK(c.table() == "search");
  CHECK(c.base_dir() == "/base");
}

TEST_CASE("given values keep where they were written") {
  const PluginConfig c = validate_table(section({{"population", int64_t{8}}}), demo_keys());
  CHECK(c.get_int("population") == 8);
  CHECK(c.entries().at("population").where == "cfg.toml:4:14");
}

TEST_CASE("an integer given for a float key becomes a float") {
  const PluginConfig c = validate_table(section({{"rate", int64_t{1}}, {"limit", int64_t{3}}}), demo_keys());
  CHECK(std::holds_alternative<double>(c.entries().at("rate").value));
  CHECK(c.get_double("rate") == 1.0);
  CHECK(c.has("limit"));
  CHECK(c.get_double("limit") == 3.0);
}

TEST_CASE("integers given for a float list become floats") {
  const PluginConfig c = validate_table(section({{"scales", std::vector<int64_t>{1, 2}}}), demo_keys());
  CHECK(c.get_doubles("scales") == std::vector<double>{1.0, 2.0});
}

TEST_CASE("a single string given for a string list becomes a list of one") {
  const PluginConfig c = validate_table(section({{"files", std::string("a.csv")}}), demo_keys());
  CHECK(c.get_strings("files") == std::vector<std::string>{"a.csv"});
}

TEST_CASE("an empty TOML list is accepted for every list type") {
  // TOML's [] carries no element type; config.cpp reads it as a string list.
  const PluginConfig c = validate_table(
      section({{"scales", std::vector<std::string>{}}, {"sizes", std::vector<std::string>{}}}), demo_keys());
  CHECK(c.get_doubles("scales").empty());
  CHECK(c.get_ints("sizes").empty());
}

TEST_CASE("an allowed value is accepted and any other is refused with the options and a suggestion") {
  CHECK(validate_table(section({{"mode", std::string("exact")}}), demo_keys()).get_string("mode") == "exact");
  const std::string e = error_of({{"mode", std::string("exakt")}});
  CHECK(e.find("cfg.toml:4:14: key 'search.mode'") == 0);
  CHECK(e.find("\"exakt\" is not allowed") != std::string::npos);
  CHECK(e.find("did you mean 'exact'?") != std::string::npos);
  CHECK(e.find("fix: use one of \"fast\", \"exact\"") != std::string::npos);
}

TEST_CASE("values below the minimum or above the maximum are refused with the range") {
  const std::string low = error_of({{"population", int64_t{1}}});
  CHECK(low == "cfg.toml:4:14: key 'search.population': value 1 is out of range; fix: use a value >= 4");
  const std::string high = error_of({{"rate", 1.5}});
  CHECK(high.find("cfg.toml:4:14: key 'search.rate': value 1.5 is out of range; fix: use a value in 0") == 0);
  const std::string list = error_of({{"sizes", std::vector<int64_t>{224, 16}}});
  CHECK(list.find("key 'search.sizes': value 16 is out of range; fix: use a value >= 32") != std::string::npos);
  CHECK(validate_table(section({{"rate", int64_t{0}}}), demo_keys()).get_double("rate") == 0.0);
  CHECK(validate_table(section({{"population", int64_t{4}}}), demo_keys()).get_int("population") == 4);
}

TEST_CASE("a missing required key names the plugin's table, the key's purpose and the fix") {
  const std::vector<ConfigKey> keys{ConfigKey::path("model", "The trained model file")};
  const std::string e = error_of({}, keys);
  CHECK(e.find("cfg.toml:3:1: key 'search.model': is required by plugin 'demo' (The trained model file)") == 0);
  CHECK(e.find("fix: add model = ...") != std::string::npos);
}

TEST_CASE("an empty path is refused") {
  const std::vector<ConfigKey> keys{ConfigKey::path("model", "The trained model file")};
  CHECK(error_of({{"model", std::string("")}}, keys).find("key 'search.model': is empty; fix:") != std::string::npos);
}

TEST_CASE("an unknown key is refused with a suggestion and the plugin's keys") {
  const std::string e = error_of({{"populaton", int64_t{8}}});
  CHECK(e.find("cfg.toml:4:14: key 'search.populaton': unknown key for plugin 'demo'") == 0);
  CHECK(e.find("did you mean 'population'?") != std::string::npos);
  CHECK(e.find("(its keys: population, rate, mode, files, scales, sizes, verbose, limit)") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
}

TEST_CASE("a value of the wrong type is refused with the expected type and an example") {
  const std::string e = error_of({{"population", std::string("x")}});
  CHECK(e == "cfg.toml:4:14: key 'search.population': expected integer, got \"x\"; fix: give integer, e.g. population = 50");
  // No silent truncation of 2.5 to 2, and no string "true" for a bool.
  CHECK(error_of({{"population", 2.5}}).find("expected integer, got 2.5") != std::string::npos);
  CHECK(error_of({{"verbose", std::string("true")}}).find("key 'search.verbose': expected") != std::string::npos);
  CHECK(error_of({{"files", int64_t{3}}}).find("key 'search.files': expected") != std::string::npos);
  CHECK(error_of({{"scales", std::vector<std::string>{"a"}}}).find("key 'search.scales': expected") != std::string::npos);
}
