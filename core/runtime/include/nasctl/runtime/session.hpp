// A session: the config resolved into live plugin objects, with every
// cross-cutting check done (plugin names, plugin keys, metric names). `nasctl
// validate` stops after building one; search and evaluate use it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nasctl/metric_provider.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/search_strategy.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/plugin_loader.hpp"

namespace nasctl::runtime {

struct ProviderInstance {
  std::string instance;  // "cpu", "accuracy"
  const LoadedPlugin* plugin = nullptr;
  std::shared_ptr<MetricProvider> provider;
  std::vector<MetricInfo> metrics;  // provider-local names
};

struct Session {
  RunConfig config;
  PluginRegistry registry;
  std::vector<std::string> plugin_dirs;  // search order: built-in, NAS_PLUGIN_PATH, [plugins] paths
  const LoadedPlugin* space_plugin = nullptr;
  const LoadedPlugin* search_plugin = nullptr;
  std::shared_ptr<SearchSpace> space;
  std::shared_ptr<SearchStrategy> search;  // null when built without a strategy
  std::vector<ProviderInstance> providers;
  Problem problem;

  // Every metric as "<instance>.<metric>".
  std::vector<std::string> metric_names() const;
};

// Loads plugins, builds every object and prepares every metric provider for
// the space (MetricProvider::prepare); throws the first user error found.
// `with_search` false skips constructing the strategy (nasctl evaluate).
std::unique_ptr<Session> open_session(RunConfig config, bool with_search = true);

}  // namespace nasctl::runtime
