// Loading the run config: TOML syntax, --set overrides, and the structure of
// the top-level tables. Plugin tables are validated in plugin_table.cpp.
#include "nasctl/runtime/config.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <toml++/toml.h>

#include "nasctl/error.hpp"
#include "nasctl/runtime/did_you_mean.hpp"

namespace nasctl::runtime {

namespace {

// Remembers which keys came from --set so errors can point there.
struct Origin {
  std::string file;
  std::map<std::string, std::string> overrides;  // key path -> "--set k=v"

  std::string where(const toml::node& node, const std::string& key_path) const {
    const auto& src = node.source();
    if (src.begin.line == 0) {
      auto it = overrides.find(key_path);
      return it != overrides.end() ? it->second : std::string("--set");
    }
    return file + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
  }
};

[[noreturn]] void fail(const std::string& where, const std::string& key, const std::string& message) {
  throw ConfigError(where + ": key '" + key + "': " + message);
}

// --set support: "a.b[1].c=value" or, for arrays of named tables,
// "hardware.cpu.threads=2" (the element whose `name` is cpu).
void apply_override(toml::table& root, const std::string& text, Origin& origin) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set " + text + ": expected dotted.key=value; fix: e.g. --set search.population=40");
  const std::string path = text.substr(0, eq);
  const std::string value_text = text.substr(eq + 1);
  // Values are TOML when they parse as TOML, plain strings otherwise, so
  // `--set out=runs/a` and `--set seed=7` both do what a user expects.
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value_text);
  } catch (const toml::parse_error&) {
    parsed.insert_or_assign("v", value_text);
  }
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);

  toml::table* table = &root;
  std::string key_path;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string part = parts[i];
    int index = -1;
    if (auto open = part.find('['); open != std::string::npos && part.back() == ']') {
      try {
        index = std::stoi(part.substr(open + 1, part.size() - open - 2));
      } catch (const std::exception&) {
        throw ConfigError("--set " + text + ": bad index in '" + part + "'; fix: use key[0]");
      }
      if (index < 0) throw ConfigError("--set " + text + ": negative index in '" + part + "'; fix: use key[0], key[1], ...");
      part = part.substr(0, open);
    }
    if (part.empty()) throw ConfigError("--set " + text + ": empty key segment; fix: use dotted.key=value");
    key_path += (key_path.empty() ? "" : ".") + part;
    const bool last = i + 1 == parts.size();
    if (last && index < 0) {
      table->insert_or_assign(part, *parsed.get("v"));
      origin.overrides[key_path] = "--set " + text;
      return;
    }
    toml::node* next = table->get(part);
    if (auto* array = next ? next->as_array() : nullptr) {
      // Either an explicit [i] or the following segment names the element.
      if (index < 0 && !last) {
        const std::string& wanted = parts[++i];
        for (std::size_t k = 0; k < array->size(); ++k) {
          auto* element = array->get(k)->as_table();
          if (element && element->get_as<std::string>("name") && **element->get_as<std::string>("name") == wanted) {
            index = static_cast<int>(k);
          }
        }
        if (index < 0) throw ConfigError("--set " + text + ": no element of '" + part + "' is named '" + wanted + "'; fix: use " + part + "[i] or an existing name");
        if (i + 1 == parts.size()) throw ConfigError("--set " + text + ": names a whole table; fix: name a key inside it");
      }
      if (index < 0 || index >= static_cast<int>(array->size()))
        throw ConfigError("--set " + text + ": '" + part + "' has " + std::to_string(array->size()) + " elements; fix: use an index below that");
      key_path += "[" + std::to_string(index) + "]";
      table = array->get(index)->as_table();
      if (!table) throw ConfigError("--set " + text + ": '" + key_path + "' is not a table; fix: set a key of a table");
      // "hardware[0]=x" would otherwise end the loop having set nothing.
      if (i + 1 == parts.size())
        throw ConfigError("--set " + text + ": names a whole table; fix: name a key inside it, e.g. " + key_path + ".plugin=...");
      continue;
    }
    if (index >= 0) throw ConfigError("--set " + text + ": '" + part + "' is not a list; fix: drop the [index]");
    if (!next) next = &table->insert_or_assign(part, toml::table{}).first->second;
    table = next->as_table();
    if (!table) throw ConfigError("--set " + text + ": '" + key_path + "' is a value, not a table; fix: set it directly");
  }
}

ConfigValue to_config_value(const toml::node& node, const std::string& where, const std::string& key) {
  if (auto v = node.value_exact<bool>()) return *v;
  if (auto v = node.value_exact<int64_t>()) return *v;
  if (auto v = node.value_exact<double>()) return *v;
  if (auto v = node.value_exact<std::string>()) return *v;
  if (const auto* array = node.as_array()) {
    std::vector<std::string> strings;
    std::vector<int64_t> ints;
    std::vector<double> doubles;
    for (const auto& item : *array) {
      if (auto s = item.value_exact<std::string>()) strings.push_back(*s);
      else if (auto i = item.value_exact<int64_t>()) {
        ints.push_back(*i);
        doubles.push_back(static_cast<double>(*i));
      } else if (auto d = item.value_exact<double>()) doubles.push_back(*d);
      else fail(where, key, "lists may hold strings or numbers only; fix: write a list of strings or of numbers");
    }
    if (!strings.empty() && strings.size() != array->size()) fail(where, key, "mixes strings and numbers in one list; fix: make every element a string or every element a number");
    if (!strings.empty() || array->empty()) return strings;
    if (ints.size() == array->size()) return ints;
    return doubles;
  }
  if (const auto* table = node.as_table()) {
    StringTable out;
    for (const auto& [k, v] : *table) {
      auto s = v.value_exact<std::string>();
      if (!s) fail(where, key + "." + std::string(k.str()), "expected a string; fix: quote the value");
      out[std::string(k.str())] = *s;
    }
    return out;
  }
  fail(where, key, "unsupported value type; fix: use a bool, number, string, list or table of strings");
}

PluginSection read_plugin_section(const toml::table& table, const std::string& key_path, const std::string& instance,
                                  const std::string& table_where, const RunConfig& config, const Origin& origin) {
  PluginSection section;
  section.key_path = key_path;
  section.instance = instance;
  section.where = table_where;
  const toml::node* plugin = table.get("plugin");
  if (!plugin) fail(table_where, key_path + ".plugin", "is required; fix: name a plugin (`nasctl plugins` lists them)");
  auto name = plugin->value_exact<std::string>();
  if (!name) fail(origin.where(*plugin, key_path + ".plugin"), key_path + ".plugin", "expected a string; fix: name a plugin, e.g. plugin = \"analytic\" (`nasctl plugins` lists them)");
  section.plugin = *name;
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& [k, v] : table) {
    const std::string key(k.str());
    if (key == "plugin" || key == "name") continue;
    const std::string where = origin.where(v, key_path + "." + key);
    entries[key] = PluginConfig::Entry{to_config_value(v, where, key_path + "." + key), where};
  }
  section.raw = PluginConfig(key_path, config.base_dir, config.file, std::move(entries));
  return section;
}

const toml::table* table_at(const toml::table& root, const char* key, const Origin& origin, bool required) {
  const toml::node* node = root.get(key);
  if (!node) {
    if (required) fail(origin.file, key, std::string("is required; fix: add a [") + key + "] table with plugin = \"...\"");
    return nullptr;
  }
  if (!node->is_table()) fail(origin.where(*node, key), key, std::string("expected a table; fix: write it as a [") + key + "] table");
  return node->as_table();
}

std::string where_of_table(const toml::table& t, const std::string& key_path, const Origin& origin) {
  return origin.where(t, key_path);
}

void check_known_keys(const toml::table& table, const std::vector<std::string>& known, const std::string& prefix,
                      const Origin& origin) {
  for (const auto& [k, v] : table) {
    const std::string key(k.str());
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    fail(origin.where(v, path), path, "unknown key" + did_you_mean(key, known) + "; fix: see docs/config.md for the keys there are");
  }
}

template <typename T>
T get_value(const toml::table& table, const char* key, const std::string& prefix, const Origin& origin, T fallback,
            const char* expected) {
  const toml::node* node = table.get(key);
  if (!node) return fallback;
  const std::string path = prefix.empty() ? key : prefix + "." + key;
  if constexpr (std::is_same_v<T, double>) {
    if (auto i = node->value_exact<int64_t>()) return static_cast<double>(*i);
  }
  auto v = node->value_exact<T>();
  if (!v) fail(origin.where(*node, path), path, std::string("expected ") + expected + "; fix: give " + expected + " there");
  return *v;
}

RunConfig build(toml::table root, const std::string& name, const std::string& base_dir,
                const std::vector<std::string>& overrides) {
  Origin origin{name, {}};
  for (const auto& o : overrides) apply_override(root, o, origin);

  RunConfig config;
  config.file = name;
  config.base_dir = base_dir;
  check_known_keys(root, {"seed", "out", "space", "search", "hardware", "accuracy", "objectives", "constraints",
                          "budget", "run", "plugins"},
                   "", origin);

  const int64_t seed = get_value<int64_t>(root, "seed", "", origin, 42, "an integer");
  if (seed < 0) fail(origin.where(*root.get("seed"), "seed"), "seed", "must be >= 0; fix: use a non-negative integer");
  config.seed = static_cast<uint64_t>(seed);
  config.out = get_value<std::string>(root, "out", "", origin, config.out, "a string (the output folder)");

  const toml::table* space = table_at(root, "space", origin, true);
  config.space = read_plugin_section(*space, "space", "space", where_of_table(*space, "space", origin), config, origin);
  const toml::table* search = table_at(root, "search", origin, true);
  config.search = read_plugin_section(*search, "search", "search", where_of_table(*search, "search", origin), config, origin);
  if (const toml::table* accuracy = table_at(root, "accuracy", origin, false)) {
    std::string instance = get_value<std::string>(*accuracy, "name", "accuracy", origin, "accuracy", "a string");
    config.accuracy = read_plugin_section(*accuracy, "accuracy", instance, where_of_table(*accuracy, "accuracy", origin), config, origin);
  }

  std::vector<std::string> instance_names;
  if (config.accuracy) instance_names.push_back(config.accuracy->instance);
  if (const toml::node* hw = root.get("hardware")) {
    const toml::array* array = hw->as_array();
    if (!array || !array->is_array_of_tables())
      fail(origin.where(*hw, "hardware"), "hardware", "expected [[hardware]] tables; fix: write each hardware model as a [[hardware]] table with name and plugin");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::table& t = *array->get(i)->as_table();
      const std::string path = "hardware[" + std::to_string(i) + "]";
      const std::string where = origin.where(t, path);
      const toml::node* name_node = t.get("name");
      if (!name_node) fail(where, path + ".name", "is required; fix: name the instance, e.g. name = \"cpu\"; metrics are then cpu.<metric>");
      auto instance = name_node->value_exact<std::string>();
      if (!instance || instance->empty() || instance->find('.') != std::string::npos)
        fail(origin.where(*name_node, path + ".name"), path + ".name", "expected a non-empty string without '.'; fix: use a short name such as \"cpu\"");
      if (std::find(instance_names.begin(), instance_names.end(), *instance) != instance_names.end())
        fail(origin.where(*name_node, path + ".name"), path + ".name", "instance name '" + *instance + "' is used twice; fix: give each instance its own name");
      instance_names.push_back(*instance);
      config.hardware.push_back(read_plugin_section(t, path, *instance, where, config, origin));
    }
  }
  if (config.hardware.empty() && !config.accuracy)
    fail(name, "hardware", "no metric provider configured; fix: add a [[hardware]] table or an [accuracy] table");

  const toml::node* objectives = root.get("objectives");
  if (!objectives) fail(name, "objectives", "is required; fix: add [[objectives]] with metric = \"<instance>.<metric>\" and goal = \"min\" or \"max\"");
  const toml::array* obj_array = objectives->as_array();
  if (!obj_array || !obj_array->is_array_of_tables() || obj_array->empty())
    fail(origin.where(*objectives, "objectives"), "objectives", "expected one or more [[objectives]] tables; fix: add [[objectives]] with metric = \"<instance>.<metric>\" and goal = \"min\" or \"max\"");
  for (std::size_t i = 0; i < obj_array->size(); ++i) {
    const toml::table& t = *obj_array->get(i)->as_table();
    const std::string path = "objectives[" + std::to_string(i) + "]";
    check_known_keys(t, {"metric", "goal"}, path, origin);
    Objective o;
    o.metric = get_value<std::string>(t, "metric", path, origin, "", "a string");
    if (o.metric.empty()) fail(origin.where(t, path), path + ".metric", "is required; fix: add e.g. metric = \"cpu.latency_ms\"");
    const std::string goal = get_value<std::string>(t, "goal", path, origin, "", "a string");
    if (goal != "min" && goal != "max")
      fail(t.get("goal") ? origin.where(*t.get("goal"), path + ".goal") : origin.where(t, path), path + ".goal",
           "must be \"min\" or \"max\"" + (goal.empty() ? std::string() : ", got \"" + goal + "\"") +
               "; fix: write goal = \"min\" (smaller is better) or goal = \"max\"");
    o.goal = goal == "max" ? Goal::Maximize : Goal::Minimize;
    config.objectives.push_back(o);
    config.objective_where.push_back(origin.where(t, path));
  }

  if (const toml::node* constraints = root.get("constraints")) {
    const toml::array* array = constraints->as_array();
    if (!array || !array->is_array_of_tables())
      fail(origin.where(*constraints, "constraints"), "constraints", "expected [[constraints]] tables; fix: write each constraint as a [[constraints]] table with metric and max or min");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::table& t = *array->get(i)->as_table();
      const std::string path = "constraints[" + std::to_string(i) + "]";
      check_known_keys(t, {"metric", "max", "min"}, path, origin);
      Constraint c;
      c.metric = get_value<std::string>(t, "metric", path, origin, "", "a string");
      if (c.metric.empty()) fail(origin.where(t, path), path + ".metric", "is required; fix: add e.g. metric = \"cost.params\"");
      const bool has_max = t.contains("max"), has_min = t.contains("min");
      if (has_max == has_min) fail(origin.where(t, path), path, std::string(has_max ? "has both max and min" : "has neither max nor min") + "; fix: give exactly one of max = <bound> or min = <bound>");
      c.bound = has_max ? Bound::AtMost : Bound::AtLeast;
      c.limit = get_value<double>(t, has_max ? "max" : "min", path, origin, 0.0, "a number");
      config.constraints.push_back(c);
      config.constraint_where.push_back(origin.where(t, path));
    }
  }

  if (const toml::table* budget = table_at(root, "budget", origin, false)) {
    check_known_keys(*budget, {"evaluations", "seconds"}, "budget", origin);
    const int64_t evals = get_value<int64_t>(*budget, "evaluations", "budget", origin, 0, "an integer");
    if (evals < 0 || (budget->contains("evaluations") && evals == 0))
      fail(origin.where(*budget->get("evaluations"), "budget.evaluations"), "budget.evaluations", "must be >= 1; fix: give the number of evaluations to run, or remove the key to stop on budget.seconds only");
    config.budget_evaluations = static_cast<std::size_t>(evals);
    config.budget_seconds = get_value<double>(*budget, "seconds", "budget", origin, 0.0, "a number of seconds");
    if (budget->contains("seconds") && !(config.budget_seconds > 0))
      fail(origin.where(*budget->get("seconds"), "budget.seconds"), "budget.seconds", "must be > 0; fix: give a positive number of seconds, or remove the key");
  }
  if (config.budget_evaluations == 0 && config.budget_seconds == 0)
    fail(name, "budget", "no budget; fix: add [budget] with evaluations = N and/or seconds = S");

  if (const toml::table* run = table_at(root, "run", origin, false)) {
    check_known_keys(*run, {"threads", "batch"}, "run", origin);
    const int64_t threads = get_value<int64_t>(*run, "threads", "run", origin, 0, "an integer");
    const int64_t batch = get_value<int64_t>(*run, "batch", "run", origin, 0, "an integer");
    if (threads < 0) fail(origin.where(*run->get("threads"), "run.threads"), "run.threads", "must be >= 0; fix: give a thread count, or 0 for all cores");
    if (batch < 0) fail(origin.where(*run->get("batch"), "run.batch"), "run.batch", "must be >= 0; fix: give a batch size, or 0 for the strategy's choice");
    config.threads = static_cast<std::size_t>(threads);
    config.batch = static_cast<std::size_t>(batch);
  }
  if (const toml::table* plugins = table_at(root, "plugins", origin, false)) {
    check_known_keys(*plugins, {"paths"}, "plugins", origin);
    if (const toml::node* paths = plugins->get("paths")) {
      const toml::array* array = paths->as_array();
      if (!array) fail(origin.where(*paths, "plugins.paths"), "plugins.paths", "expected a list of folder paths; fix: write paths = [\"folder\", ...]");
      for (const auto& p : *array) {
        auto s = p.value_exact<std::string>();
        if (!s) fail(origin.where(p, "plugins.paths"), "plugins.paths", "expected strings; fix: quote each folder path");
        config.plugin_paths.push_back(resolve_path(base_dir, *s));
      }
    }
  }
  std::ostringstream resolved;
  resolved << toml::toml_formatter(root);
  config.resolved_toml = resolved.str();
  return config;
}

toml::table parse_toml(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw ConfigError(name + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) +
                      ": invalid TOML: " + std::string(e.description()) + "; fix: correct the syntax there");
  }
}

}  // namespace

RunConfig load_config_text(const std::string& text, const std::string& name, const std::string& base_dir,
                           const std::vector<std::string>& overrides) {
  return build(parse_toml(text, name), name, base_dir, overrides);
}

RunConfig load_config_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot read config file; fix: check the path given to -c");
  std::stringstream text;
  text << in.rdbuf();
  std::string base = std::filesystem::absolute(path).parent_path().string();
  return load_config_text(text.str(), path, base, overrides);
}

}  // namespace nasctl::runtime
