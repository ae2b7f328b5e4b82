// The run configuration: one TOML file (or the embedded default) plus
// `--set dotted.key=value` overrides, checked and resolved into RunConfig.
// Every error names file:line:column (or the --set) and the fix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/metrics.hpp"

namespace nasctl::runtime {

// A table as the user wrote it: a plugin selection (which plugin, under which
// instance name, and its keys) or one of nasctl's own tables (plugin empty).
struct PluginSection {
  std::string plugin;      // empty for nasctl's own tables (core_keys.hpp)
  std::string instance;    // [[hardware]] name; "accuracy"; "space"; "search"
  std::string key_path;    // "hardware[1]", "accuracy", ... for messages
  std::string where;       // file:line:col of the table
  PluginConfig raw;        // the user's keys, before validation (where filled)
};

// The [train] table of a config that trains a super-network (`nasctl
// train`), with its [[train.phases]], each checked against its declaration
// (core_keys.cpp). Phase variable names are checked against the space by
// `nasctl train` (the space is a plugin, loaded there).
struct TrainSection {
  std::string where;                 // file:line:col of [train]
  PluginConfig keys;                 // every key of [train], defaults filled
  std::vector<PluginConfig> phases;  // [[train.phases]], in order; empty: one phase of `epochs`
};

struct RunConfig {
  std::string file;        // the config file, or "<embedded default>"
  std::string base_dir;    // relative paths resolve against it
  uint64_t seed = 42;
  std::string out = "runs/latest";
  PluginSection space;
  PluginSection search;
  std::vector<PluginSection> hardware;
  std::optional<PluginSection> accuracy;
  std::vector<Objective> objectives;
  std::vector<std::string> objective_where;
  std::vector<Constraint> constraints;
  std::vector<std::string> constraint_where;
  std::size_t budget_evaluations = 0;  // 0: none
  double budget_seconds = 0.0;         // 0: none
  std::size_t threads = 0;             // 0: all cores
  std::size_t batch = 0;               // 0: the strategy's preference
  std::vector<std::string> plugin_paths;
  std::string resolved_toml;           // the whole config after overrides, as TOML
  std::optional<TrainSection> train;   // [train]: a config `nasctl train` runs
  // Whether the config can search: it has [search] (then objectives, a
  // budget and a metric provider are required too), or no [train] but some
  // other part of a search. A config with [train] and no [search] only
  // trains; one with [space] alone only describes the space.
  bool searches = true;
  bool only_describes_space() const { return !searches && !train; }
};

// Parses and checks the structure (top-level keys, types, required tables).
// Plugin tables are checked later against each plugin's declared keys.
RunConfig load_config_file(const std::string& path, const std::vector<std::string>& overrides);
RunConfig load_config_text(const std::string& text, const std::string& name, const std::string& base_dir,
                           const std::vector<std::string>& overrides);

// Fills a table from its declared keys (a plugin's, or core_keys.hpp's for
// nasctl's own tables): unknown keys (with a did-you-mean), wrong types,
// out-of-range and missing required values are ConfigErrors; absent keys get
// their defaults.
PluginConfig validate_table(const PluginSection& section, const std::vector<ConfigKey>& keys);

// The embedded default config (OFA MobileNetV3 + ImageNet predictor + CPU
// latency + NSGA-II); `{data}` is replaced by nasctl's data folder.
std::string default_config_text();

}  // namespace nasctl::runtime
