// Loading the run config: TOML syntax, --set overrides, the plugin-selection
// tables, and nasctl's own tables checked against their declarations
// (core_keys.cpp) by the validator plugin tables use (table_validation.cpp).
#include "nasctl/runtime/config.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <toml++/toml.h>

#include "nasctl/error.hpp"
#include "nasctl/runtime/core_keys.hpp"
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

// Every key of `table` but `skip`, converted, with where each one is.
std::map<std::string, PluginConfig::Entry> entries_of(const toml::table& table, const std::string& key_path,
                                                      const Origin& origin, const std::vector<std::string>& skip) {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& [k, v] : table) {
    const std::string key(k.str());
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    const std::string path = key_path.empty() ? key : key_path + "." + key;
    const std::string where = origin.where(v, path);
    entries[key] = PluginConfig::Entry{to_config_value(v, where, path), where};
  }
  return entries;
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
  section.raw = PluginConfig(key_path, config.base_dir, config.file, entries_of(table, key_path, origin, {"plugin", "name"}));
  return section;
}

// One of nasctl's own tables, checked against its declaration in
// core_keys.cpp; `skip` names keys that are tables of their own (the top
// level's [space], [budget], ...).
PluginConfig read_core_table(const toml::table& table, const std::string& key_path, const CoreTable& declared,
                             const RunConfig& config, const Origin& origin, const std::vector<std::string>& skip = {}) {
  PluginSection section;
  section.key_path = key_path;
  section.where = key_path.empty() ? config.file : origin.where(table, key_path);
  section.raw = PluginConfig(key_path, config.base_dir, config.file, entries_of(table, key_path, origin, skip));
  return validate_table(section, declared.keys);
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

// A learning rate must be > 0, which ConfigKey's inclusive ranges cannot say.
void check_positive_lr(const PluginConfig& keys) {
  if (keys.has("lr") && !(keys.get_double("lr") > 0))
    keys.fail("lr", "must be > 0; fix: give a positive learning rate, e.g. lr = 0.05");
}

// [train] and its [[train.phases]] (docs/train.md).
TrainSection read_train(const toml::table& train, const RunConfig& config, const Origin& origin) {
  TrainSection section;
  section.where = origin.where(train, "train");
  section.keys = read_core_table(train, "train", core_table("train"), config, origin, {"phases"});
  check_positive_lr(section.keys);
  if (const toml::node* phases = train.get("phases")) {
    const toml::array* array = phases->as_array();
    if (!array || !array->is_array_of_tables() || array->empty())
      fail(origin.where(*phases, "train.phases"), "train.phases",
           "expected one or more [[train.phases]] tables; fix: write each phase as a [[train.phases]] table with "
           "elastic = [...] and epochs = N");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string path = "train.phases[" + std::to_string(i) + "]";
      section.phases.push_back(
          read_core_table(*array->get(i)->as_table(), path, core_table("train.phases"), config, origin));
      check_positive_lr(section.phases.back());
    }
  }
  const bool has_epochs = section.keys.has("epochs");
  if (has_epochs && !section.phases.empty())
    section.keys.fail("epochs", "is given together with [[train.phases]], which have their own epochs; fix: remove "
                                "epochs, or the phases");
  if (!has_epochs && section.phases.empty())
    fail(section.where, "train.epochs", "is required (or [[train.phases]]); fix: add epochs = N to [train]");
  return section;
}

RunConfig build(toml::table root, const std::string& name, const std::string& base_dir,
                const std::vector<std::string>& overrides) {
  Origin origin{name, {}};
  for (const auto& o : overrides) apply_override(root, o, origin);

  RunConfig config;
  config.file = name;
  config.base_dir = base_dir;
  // The top level holds scalars (declared in core_keys.cpp) and tables; a
  // misspelt table name gets its did-you-mean here.
  std::vector<std::string> tables = plugin_section_names();
  for (const auto& t : core_tables())
    if (!t.path.empty() && t.path.find('.') == std::string::npos) tables.push_back(t.path);
  std::vector<std::string> top_level = tables;
  for (const auto& k : core_table("").keys) top_level.push_back(k.name);
  check_known_keys(root, top_level, "", origin);
  const PluginConfig top = read_core_table(root, "", core_table(""), config, origin, tables);
  config.seed = static_cast<uint64_t>(top.get_int("seed"));
  config.out = top.get_string("out");

  const toml::table* space = table_at(root, "space", origin, true);
  config.space = read_plugin_section(*space, "space", "space", where_of_table(*space, "space", origin), config, origin);
  if (const toml::table* train = table_at(root, "train", origin, false)) config.train = read_train(*train, config, origin);
  // A config with [train] and no [search] only trains, and one with [space]
  // and nothing a search needs (no [search], provider, objective, constraint
  // or budget) only describes a space (`nasctl space info`, `validate`): what
  // a search needs besides the space is then not asked for. A config with
  // some of those but no [search] has forgotten [search] and is told so.
  const bool names_search_parts = root.get("search") || root.get("hardware") || root.get("accuracy") ||
                                  root.get("objectives") || root.get("constraints") || root.get("budget");
  config.searches = root.get("search") != nullptr || (!config.train && names_search_parts);
  if (config.searches) {
    const toml::table* search = table_at(root, "search", origin, true);
    config.search = read_plugin_section(*search, "search", "search", where_of_table(*search, "search", origin), config, origin);
  }
  if (const toml::table* accuracy = table_at(root, "accuracy", origin, false)) {
    std::string instance = "accuracy";
    if (const toml::node* name_node = accuracy->get("name")) {
      auto given = name_node->value_exact<std::string>();
      if (!given) fail(origin.where(*name_node, "accuracy.name"), "accuracy.name", "expected a string; fix: give an instance name, e.g. name = \"accuracy\"");
      instance = *given;
    }
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
  if (config.searches && config.hardware.empty() && !config.accuracy)
    fail(name, "hardware", "no metric provider configured; fix: add a [[hardware]] table or an [accuracy] table");

  // A training-only config may leave the objectives out; given, they are checked.
  const toml::array no_objectives;
  const toml::node* objectives = root.get("objectives");
  if (!objectives && !config.searches) objectives = &no_objectives;
  if (!objectives) fail(name, "objectives", "is required; fix: add [[objectives]] with metric = \"<instance>.<metric>\" and goal = \"min\" or \"max\"");
  const toml::array* obj_array = objectives->as_array();
  if (objectives != &no_objectives && (!obj_array || !obj_array->is_array_of_tables() || obj_array->empty()))
    fail(origin.where(*objectives, "objectives"), "objectives", "expected one or more [[objectives]] tables; fix: add [[objectives]] with metric = \"<instance>.<metric>\" and goal = \"min\" or \"max\"");
  for (std::size_t i = 0; i < obj_array->size(); ++i) {
    const toml::table& t = *obj_array->get(i)->as_table();
    const std::string path = "objectives[" + std::to_string(i) + "]";
    const PluginConfig keys = read_core_table(t, path, core_table("objectives"), config, origin);
    Objective o;
    o.metric = keys.get_string("metric");
    if (o.metric.empty()) keys.fail("metric", "is empty; fix: name a metric, e.g. metric = \"cpu.latency_ms\"");
    o.goal = keys.get_string("goal") == "max" ? Goal::Maximize : Goal::Minimize;
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
      const PluginConfig keys = read_core_table(t, path, core_table("constraints"), config, origin);
      Constraint c;
      c.metric = keys.get_string("metric");
      if (c.metric.empty()) keys.fail("metric", "is empty; fix: name a metric, e.g. metric = \"cost.params\"");
      const bool has_max = keys.has("max"), has_min = keys.has("min");
      if (has_max == has_min) fail(origin.where(t, path), path, std::string(has_max ? "has both max and min" : "has neither max nor min") + "; fix: give exactly one of max = <bound> or min = <bound>");
      c.bound = has_max ? Bound::AtMost : Bound::AtLeast;
      c.limit = keys.get_double(has_max ? "max" : "min");
      config.constraints.push_back(c);
      config.constraint_where.push_back(origin.where(t, path));
    }
  }

  if (const toml::table* budget = table_at(root, "budget", origin, false)) {
    const PluginConfig keys = read_core_table(*budget, "budget", core_table("budget"), config, origin);
    if (keys.has("evaluations")) config.budget_evaluations = static_cast<std::size_t>(keys.get_int("evaluations"));
    if (keys.has("seconds")) {
      config.budget_seconds = keys.get_double("seconds");
      // A strict bound, which ConfigKey's inclusive ranges cannot say.
      if (!(config.budget_seconds > 0)) keys.fail("seconds", "must be > 0; fix: give a positive number of seconds, or remove the key");
    }
  }
  if (config.searches && config.budget_evaluations == 0 && config.budget_seconds == 0)
    fail(name, "budget", "no budget; fix: add [budget] with evaluations = N and/or seconds = S");

  if (const toml::table* run = table_at(root, "run", origin, false)) {
    const PluginConfig keys = read_core_table(*run, "run", core_table("run"), config, origin);
    config.threads = static_cast<std::size_t>(keys.get_int("threads"));
    config.batch = static_cast<std::size_t>(keys.get_int("batch"));
  }
  if (const toml::table* plugins = table_at(root, "plugins", origin, false)) {
    config.plugin_paths = read_core_table(*plugins, "plugins", core_table("plugins"), config, origin).get_paths("paths");
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
