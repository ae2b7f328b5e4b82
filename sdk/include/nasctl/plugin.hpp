// The plugin contract shared by every kind: a descriptor readable without
// constructing anything, and a base class with a virtual destructor defined in
// the SDK library (so RTTI and deletion work across shared-library borders).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nasctl/config.hpp"

namespace nasctl {

// Bumped whenever a change to an SDK header breaks binary compatibility. The
// loader reads it from a plain exported int before touching any C++ symbol.
// 2: MetricProvider::prepare(space), a new virtual function.
// 3: Layer::causal (the struct grew) and the sequence op kinds: a plugin
//    built before them would mis-read every Layer it is handed.
// 4: the ops ToSequence, ClassToken, PositionEmbedding, TokenSlice, the
//    activations GELU and Tanh, Embedding's plain mode (kernel 0): a plugin
//    built before them would not know what these layers compute.
// 5: Layer::ceil_mode (the struct grew; pools in ceil mode).
// 6: WeightSharing::channel_groups(), a new virtual function.
constexpr int kSdkAbiVersion = 6;

enum class PluginKind { Space, Search, Hardware, Accuracy };

const char* to_string(PluginKind kind);

struct PluginInfo {
  std::string name;         // what configs write, e.g. "nsga2"
  std::string version;      // semantic version of the plugin
  std::string description;  // one line
  std::vector<ConfigKey> keys;
};

struct PluginDescriptor {
  int abi_version = kSdkAbiVersion;
  PluginKind kind = PluginKind::Space;
  PluginInfo info;
};

// What a plugin receives at construction.
struct PluginContext {
  const PluginConfig& config;  // its own table, validated and defaulted
  std::string instance;        // e.g. "cpu" for [[hardware]] name = "cpu"
  uint64_t seed = 42;          // the run's seed, for plugins that draw randomly
};

class Plugin {
 public:
  virtual ~Plugin();
  Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;
};

}  // namespace nasctl
