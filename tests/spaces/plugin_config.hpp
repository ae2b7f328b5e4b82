// Builds a plugin's config by hand the way core would after validation: every
// declared key present with its default, then the test's overrides. Lets the
// suite construct plugins directly, with no config file and no loader.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/plugin.hpp"

namespace nasctl::test {

inline PluginConfig make_config(const std::vector<ConfigKey>& keys,
                                const std::map<std::string, ConfigValue>& overrides = {}) {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const ConfigKey& key : keys) entries[key.name] = {key.default_value, "default"};
  for (const auto& [name, value] : overrides) entries[name] = {value, "test.toml:2:1"};
  return PluginConfig("plugin", "", "test.toml", std::move(entries));
}

// Constructs T from its declared keys (T::config_keys()) plus overrides.
template <typename T>
std::unique_ptr<T> make_plugin(const std::map<std::string, ConfigValue>& overrides = {}) {
  const PluginConfig config = make_config(T::config_keys(), overrides);
  const PluginContext context{config, "test", 42};
  return std::make_unique<T>(context);
}

}  // namespace nasctl::test
