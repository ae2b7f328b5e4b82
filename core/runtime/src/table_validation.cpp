// Validating a table against its declared keys: a plugin's table against the
// plugin's declaration, nasctl's own tables against core_keys.cpp. Errors
// point a plugin's user to `nasctl plugins show`, nasctl's to docs/config.md.
#include <algorithm>
#include <cmath>

#include "nasctl/error.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/did_you_mean.hpp"

namespace nasctl::runtime {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& key, const std::string& message) {
  throw ConfigError(where + ": key '" + key + "': " + message);
}

// Integer keys show their bounds and values as integers ("1", not "1.0").
std::string number(const ConfigKey& k, double v) {
  const bool integral = k.type == ConfigType::Int || k.type == ConfigType::IntList;
  return integral && std::isfinite(v) ? std::to_string(static_cast<int64_t>(v)) : to_toml(v);
}

std::string describe_range(const ConfigKey& k) {
  if (k.min && k.max) return " in " + number(k, *k.min) + ".." + number(k, *k.max);
  if (k.min) return " >= " + number(k, *k.min);
  if (k.max) return " <= " + number(k, *k.max);
  return "";
}

void check_range(const ConfigKey& k, double v, const std::string& where, const std::string& path) {
  if ((k.min && v < *k.min) || (k.max && v > *k.max) || std::isnan(v))
    fail(where, path, "value " + number(k, v) + " is out of range; fix: use a value" + describe_range(k));
}

// Converts the user's value to the declared type, or fails with what was expected.
ConfigValue convert(const ConfigKey& k, const ConfigValue& v, const std::string& where, const std::string& path) {
  auto expected = [&]() -> std::string {
    const std::string example = std::holds_alternative<std::monostate>(k.default_value) ? "" : ", e.g. " + k.name + " = " + to_toml(k.default_value);
    return std::string("expected ") + to_string(k.type) + ", got " + to_toml(v) + "; fix: give " + to_string(k.type) + example;
  };
  switch (k.type) {
    case ConfigType::Bool:
      if (std::holds_alternative<bool>(v)) return v;
      break;
    case ConfigType::Int:
      if (const auto* i = std::get_if<int64_t>(&v)) {
        check_range(k, static_cast<double>(*i), where, path);
        return v;
      }
      break;
    case ConfigType::Float:
      if (const auto* i = std::get_if<int64_t>(&v)) {
        check_range(k, static_cast<double>(*i), where, path);
        return static_cast<double>(*i);
      }
      if (const auto* d = std::get_if<double>(&v)) {
        check_range(k, *d, where, path);
        return v;
      }
      break;
    case ConfigType::String:
    case ConfigType::Path:
      if (const auto* s = std::get_if<std::string>(&v)) {
        if (!k.allowed.empty() && std::find(k.allowed.begin(), k.allowed.end(), *s) == k.allowed.end()) {
          std::string options;
          for (const auto& a : k.allowed) options += (options.empty() ? "\"" : ", \"") + a + "\"";
          fail(where, path, "\"" + *s + "\" is not allowed" + did_you_mean(*s, k.allowed) + "; fix: use one of " + options);
        }
        if (k.type == ConfigType::Path && s->empty()) fail(where, path, "is empty; fix: give a file path");
        return v;
      }
      break;
    case ConfigType::StringList:
      if (const auto* s = std::get_if<std::string>(&v)) return std::vector<std::string>{*s};
      if (std::holds_alternative<std::vector<std::string>>(v)) return v;
      break;
    case ConfigType::FloatList: {
      std::vector<double> out;
      if (const auto* ints = std::get_if<std::vector<int64_t>>(&v)) out.assign(ints->begin(), ints->end());
      else if (const auto* ds = std::get_if<std::vector<double>>(&v)) out = *ds;
      else if (const auto* ss = std::get_if<std::vector<std::string>>(&v); !(ss && ss->empty())) break;
      for (double d : out) check_range(k, d, where, path);
      return out;
    }
    case ConfigType::IntList: {
      std::vector<int64_t> out;
      if (const auto* ints = std::get_if<std::vector<int64_t>>(&v)) out = *ints;
      else if (const auto* ss = std::get_if<std::vector<std::string>>(&v); !(ss && ss->empty())) break;
      for (int64_t i : out) check_range(k, static_cast<double>(i), where, path);
      return out;
    }
    case ConfigType::StringTable:
      if (std::holds_alternative<StringTable>(v)) return v;
      break;
  }
  fail(where, path, expected());
}

// "search.population"; "seed" for a key of the top level.
std::string key_path(const PluginSection& section, const std::string& key) {
  return section.key_path.empty() ? key : section.key_path + "." + key;
}

}  // namespace

PluginConfig validate_table(const PluginSection& section, const std::vector<ConfigKey>& keys) {
  const bool core = section.plugin.empty();
  std::vector<std::string> names;
  for (const auto& k : keys) names.push_back(k.name);
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& [key, entry] : section.raw.entries()) {
    const std::string path = key_path(section, key);
    // The lambda captures a copy's name, not the binding: clang before 16
    // (the fuzz build) cannot capture a structured binding.
    auto declared = std::find_if(keys.begin(), keys.end(), [&name = key](const ConfigKey& k) { return k.name == name; });
    if (declared == keys.end()) {
      if (core) fail(entry.where, path, "unknown key" + did_you_mean(key, names) + "; fix: see docs/config.md for the keys there are");
      std::string all;
      for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
      fail(entry.where, path, "unknown key for plugin '" + section.plugin + "'" + did_you_mean(key, names) +
                                  " (its keys: " + (all.empty() ? "none" : all) + "); fix: remove it or use one of its keys (`nasctl plugins show " +
                                  section.plugin + "` documents them)");
    }
    entries[key] = PluginConfig::Entry{convert(*declared, entry.value, entry.where, path), entry.where};
  }
  for (const auto& k : keys) {
    if (entries.count(k.name)) continue;
    if (k.required) {
      const std::string path = key_path(section, k.name);
      if (core) fail(section.where, path, "is required; fix: add " + k.name + " = ... (" + k.doc + ")");
      fail(section.where, path, "is required by plugin '" + section.plugin + "' (" + k.doc + "); fix: add " + k.name + " = ...");
    }
    entries[k.name] = PluginConfig::Entry{k.default_value, "default"};
  }
  return PluginConfig(section.key_path, section.raw.base_dir(), section.raw.file(), std::move(entries));
}

}  // namespace nasctl::runtime
