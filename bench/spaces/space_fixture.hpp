// What the space benchmarks share: a plugin built from its declared keys
// (defaults plus overrides, no config file, no loader), and the 256 random
// architectures each benchmark cycles through, so the branch pattern is a
// search's rather than one network's.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/config.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::bench {

template <typename T>
std::unique_ptr<T> make_plugin(const std::map<std::string, ConfigValue>& overrides = {}) {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& key : T::config_keys()) entries[key.name] = {key.default_value, "default"};
  for (const auto& [name, value] : overrides) entries[name] = {value, "bench"};
  const PluginConfig config("bench", "", "", std::move(entries));
  return std::make_unique<T>(PluginContext{config, "bench", 42});
}

// 256 random architectures of `space` from seed 1, canonicalised unless
// `canonical` is false (a search's candidates before the space merges them).
inline std::vector<Architecture> random_architectures(const SearchSpace& space, bool canonical = true) {
  Rng rng(1);
  std::vector<Architecture> out;
  for (int i = 0; i < 256; ++i) out.push_back(canonical ? space.canonicalize(space.sample(rng)) : space.sample(rng));
  return out;
}

}  // namespace nasctl::bench
