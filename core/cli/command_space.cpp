// `nasctl space select`: HURRICANE's hardware-aware space generation. Scores
// every candidate operator at every searchable layer of the config's space
// by capacity per unit of latency on one [[hardware]] instance and writes the
// device's operators file (top K per layer), which the space loads through
// its `operators_file` key. The scoring itself is in nasctl_evolve
// (operator_selection.hpp); this file wires it to a session and the CLI.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "nasctl/evolve/operator_selection.hpp"
#include "nasctl/evolve/operator_space.hpp"
#include "nasctl/runtime/outputs.hpp"
#include "nasctl/runtime/session.hpp"
#include "nasctl/text.hpp"

namespace nasctl::cli {

namespace {

const runtime::ProviderInstance& hardware_instance(const runtime::Session& session, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& p : session.providers) {
    if (p.plugin->descriptor.kind != PluginKind::Hardware) continue;
    if (p.instance == name) return p;
    names.push_back(p.instance);
  }
  throw ConfigError("--hardware '" + name + "': " + session.config.file + " has no [[hardware]] instance of that name" +
                    (names.empty() ? " (it has none)" : " (it has: " + joined(names) + ")") +
                    "; fix: name one of its [[hardware]] instances, or add one");
}

// The provider-local metric that stands for latency: --metric, or the first
// whose name mentions latency.
std::string latency_metric(const runtime::ProviderInstance& hw, const std::string& wanted) {
  std::vector<std::string> names;
  for (const auto& m : hw.metrics) names.push_back(m.name);
  if (!wanted.empty()) {
    if (std::find(names.begin(), names.end(), wanted) != names.end()) return wanted;
    throw ConfigError("--metric '" + wanted + "': hardware '" + hw.instance + "' gives no such metric (it gives: " +
                      joined(names) + "); fix: name one of them");
  }
  for (const auto& n : names) {
    if (n.find("latency") != std::string::npos) return n;
  }
  throw ConfigError("--hardware '" + hw.instance + "' (plugin " + hw.plugin->descriptor.info.name +
                    ") has no latency metric (it gives: " + joined(names) +
                    "); fix: name its cost metric with --metric, or choose a hardware instance that measures latency");
}

}  // namespace

CLI::App* add_space_command(CLI::App& app, SpaceSelectOptions& options, SpaceInfoOptions& info) {
  auto* space = app.add_subcommand("space", "Work with search spaces");
  space->require_subcommand(1);
  auto* select = space->add_subcommand(
      "select", "Score each layer's operators by capacity per ms on one hardware instance; write the top K per layer");
  select->add_option("-c,--config", options.config.config_file, "TOML config (its space and [[hardware]])")->required();
  select->add_option("--set", options.config.overrides, "Override a config key: dotted.key=value (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  select->add_option("--hardware", options.hardware, "Name of the [[hardware]] instance to score on")->required();
  select->add_option("--metric", options.metric, "Its latency metric (default: the first named *latency*)");
  select->add_option("--top", options.top, "Operators kept per layer")->check(CLI::Range(1, 1000));
  select->add_option("--capacity", options.capacity, "Capacity proxy: macs (default: score = MAC per ms), log-macs or params")
      ->check(CLI::IsMember({"log-macs", "macs", "params"}));
  select->add_flag("--no-skip", options.no_skip, "Do not keep `skip` beside the top K where it is valid");
  select->add_option("-o,--out", options.out_file, "Operators file to write (TOML)")->required();
  add_space_info_command(*space, info);
  return space;
}

int run_space_select_command(const SpaceSelectOptions& options) {
  // Measuring takes a while: refuse an unusable -o before, not after.
  const std::filesystem::path folder = std::filesystem::absolute(options.out_file).parent_path();
  if (!std::filesystem::is_directory(folder))
    throw ConfigError("-o " + options.out_file + ": folder " + folder.string() +
                      " does not exist; fix: create it or write the operators file elsewhere");
  auto session = runtime::open_session(load_config(options.config), false);
  const std::string& space_name = session->space_plugin->descriptor.info.name;
  const auto* ops = dynamic_cast<const evolve::OperatorSpace*>(session->space.get());
  if (!ops)
    throw ConfigError(session->config.space.where + ": space plugin '" + space_name +
                      "' has no per-layer operator pool to select from; fix: use a space that has one, e.g. "
                      "plugin = \"hurricane\"");
  const runtime::ProviderInstance& hw = hardware_instance(*session, options.hardware);
  const std::string metric = latency_metric(hw, options.metric);

  evolve::SelectionOptions select;
  select.top = options.top;
  select.capacity = evolve::parse_capacity(options.capacity);
  select.keep_identity = !options.no_skip;

  const auto start = std::chrono::steady_clock::now();
  const Architecture no_arch;  // an isolated operator is no architecture of the space
  std::size_t done = 0;
  const evolve::LatencyFn latency = [&](const NetworkSpec& network, const std::string& label) {
    const Candidate candidate{*session->space, no_arch, label, network};
    Metrics m;
    try {
      m = hw.provider->provide(candidate);
    } catch (const Error& e) {
      throw EvaluationError("space select: " + label + " on hardware '" + hw.instance + "': " + e.what());
    }
    if (++done % 50 == 0) spdlog::info("space select: {} operator networks measured on '{}'", done, hw.instance);
    const auto it = m.find(metric);
    if (it == m.end())
      throw EvaluationError("space select: hardware '" + hw.instance + "' returned no '" + metric + "' for " + label +
                            "; fix: the plugin must return every metric it declares");
    return it->second;
  };
  const evolve::SelectionReport report = evolve::select_operators(*ops, latency, select);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  evolve::SelectionHeader header;
  header.space = ops->operators_file_space();
  header.hardware = hw.instance;
  header.hardware_plugin = hw.plugin->descriptor.info.name;
  header.metric = hw.instance + "." + metric;
  header.config = session->config.file;
  header.conditions = hw.provider->conditions();
  write_file_atomically(options.out_file, evolve::selection_toml(report, header, select), "the selection");

  for (const auto& layer : report.layers) {
    std::string line;
    for (std::size_t i = 0; i < layer.chosen.size(); ++i) {
      line += (i ? ", " : "") + layer.chosen[i];
      if (i < layer.ranked.size() && layer.ranked[i].op == layer.chosen[i]) {
        char buf[64];
        std::snprintf(buf, sizeof buf, " (score %.3g, %.3g)", layer.ranked[i].score, layer.ranked[i].latency);
        line += buf;
      }
    }
    std::printf("%-4s %dx%dx%d s%d: %s\n", layer.position.name.c_str(), static_cast<int>(layer.position.in.channels),
                static_cast<int>(layer.position.in.height), static_cast<int>(layer.position.in.width),
                layer.position.stride, line.c_str());
  }
  std::printf("wrote %s: %zu layers, top %zu by %s / %s; %zu operator-layer pairs scored from %zu distinct networks "
              "measured in %.1f s\n",
              options.out_file.c_str(), report.layers.size(), select.top, evolve::to_string(select.capacity),
              header.metric.c_str(), report.scored, report.measured, seconds);
  return 0;
}

}  // namespace nasctl::cli
