// `nasctl lut`: the session both subcommands open, and `nasctl lut build`
// (command_lut_check.cpp has `nasctl lut check`; command_lut_options.cpp the options).
#include "command_lut.hpp"
#include "torch_side_log.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>


#include "nasctl/error.hpp"
#include "nasctl/layer_measurable.hpp"
#include "nasctl/lut/layer_network.hpp"
#include "nasctl/lut/lut_build.hpp"
#include "nasctl/lut/lut_file.hpp"
#include "nasctl/runtime/progress.hpp"
#include "nasctl/text.hpp"

namespace nasctl::cli {

namespace lut_detail {

namespace {

// Comment lines hold one line of text.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

}  // namespace

LutSession open_lut_session(const LutOptions& options) {
  runtime::RunConfig config = load_config(options.config);
  std::vector<std::string> names;
  const runtime::PluginSection* chosen = nullptr;
  for (const auto& hw : config.hardware) {
    names.push_back(hw.instance);
    if (hw.instance == options.hardware) chosen = &hw;
  }
  if (!chosen)
    throw ConfigError("--hardware '" + options.hardware + "': " + config.file +
                      " has no [[hardware]] instance of that name" +
                      (names.empty() ? " (it has none)" : " (it has: " + joined(names) + ")") +
                      "; fix: name one of its [[hardware]] instances, or add one that measures latency");
  const runtime::PluginSection hw = *chosen;
  config.hardware = {hw};
  config.accuracy.reset();
  config.objectives.clear();
  config.objective_where.clear();
  config.constraints.clear();
  config.constraint_where.clear();

  LutSession s;
  s.session = runtime::open_session(std::move(config), false);
  s.hardware = &s.session->providers.front();
  s.model = dynamic_cast<HardwareModel*>(s.hardware->provider.get());
  const std::string& plugin = s.hardware->plugin->descriptor.info.name;
  if (!s.model)
    throw ConfigError(hw.where + ": --hardware '" + hw.instance + "' (plugin " + plugin +
                      ") does not evaluate network specs (it is no nasctl::HardwareModel); fix: name a hardware "
                      "instance that measures networks, e.g. plugin = \"measure\"");
  std::vector<std::string> metrics;
  for (const auto& m : s.hardware->metrics) {
    metrics.push_back(m.name);
    if (m.name == "energy_mj") s.energy = true;
  }
  if (std::find(metrics.begin(), metrics.end(), options.metric) == metrics.end())
    throw ConfigError(hw.where + ": --hardware '" + hw.instance + "' (plugin " + plugin + ") gives no metric '" +
                      options.metric + "' (it gives: " + joined(metrics) +
                      "); fix: name one of them with --metric, or use a hardware instance that measures latency");
  return s;
}

std::string hardware_line(const LutSession& s, const std::string& metric) {
  const auto& info = s.hardware->plugin->descriptor.info;
  return "# hardware: " + s.hardware->instance + " (plugin " + info.name + " " + info.version + "), metric " + metric;
}

std::string conditions_line(const LutSession& s) {
  std::string line = "# conditions:";
  for (const auto& [key, value] : s.model->conditions()) line += " " + key + "=" + one_line(value) + ";";
  if (line.back() == ';') line.pop_back();
  return line;
}

double metric_value(const Metrics& metrics, const std::string& metric, const std::string& instance) {
  const auto it = metrics.find(metric);
  if (it != metrics.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [name, value] : metrics) names.push_back(name);
  throw EvaluationError("hardware '" + instance + "' returned no '" + metric + "' (it returned: " + joined(names) +
                        "); fix: the plugin must return every metric it declares");
}

namespace {

int run_lut_build(const LutOptions& options) {
  // Measuring takes a while: refuse an unusable -o before, not after.
  const std::filesystem::path folder = std::filesystem::absolute(options.out_file).parent_path();
  if (!std::filesystem::is_directory(folder))
    throw ConfigError("-o " + options.out_file + ": folder " + folder.string() +
                      " does not exist; fix: create it or write the table elsewhere");
  const LutSession s = open_lut_session(options);
  const SearchSpace& space = *s.session->space;
  const auto& space_info = s.session->space_plugin->descriptor.info;

  const lut::LayerEnumeration layers = lut::enumerate_layers(space, options.samples, s.session->config.seed);
  if (!layers.exact)
    log_warn("lut build: space '" + space_info.name + "' does not enumerate its layers (nasctl::LayerEnumerable), "
             "so " + std::to_string(layers.samples) + " random architectures were lowered: " +
             std::to_string(layers.layers.size()) + " signatures found, " + std::to_string(layers.late_discoveries) +
             " of them in the last 10% of the samples; the table may miss signatures (the lut plugin then names "
             "them); fix: raise --samples, or implement nasctl::LayerEnumerable in the space");

  lut::BuildOptions build;
  build.file = options.out_file;
  build.energy = s.energy;
  build.limit = options.limit;
  build.passes = options.passes;
  // A plugin that knows how to time a lone layer as it runs inside a
  // network (see nasctl/layer_measurable.hpp) measures the entries that way.
  auto* layer_timer = dynamic_cast<LayerMeasurable*>(s.model);
  const std::string protocol = layer_timer ? "; " + layer_timer->layer_protocol() : "";
  build.header = {"# space: " + space_info.name + " " + space_info.version + " (" + s.session->config.file + ")",
                  hardware_line(s, options.metric), conditions_line(s),
                  "# isolation: each layer measured alone as a network holding only it (multi-input layers read "
                  "the network input for every input)" + protocol + "; median of " + std::to_string(options.passes) +
                  " pass(es)"};
  build.identity = {"hardware", "conditions"};

  const std::string instance = s.hardware->instance;
  const lut::MeasureLayer measure = [&](const Layer& layer) {
    const NetworkSpec alone = lut::isolated_network(layer);
    const Metrics m = layer_timer ? layer_timer->evaluate_layer(alone) : s.model->evaluate(alone);
    lut::LayerMeasurement out;
    out.latency_ms = metric_value(m, options.metric, instance);
    if (s.energy) out.energy_mj = metric_value(m, "energy_mj", instance);
    return out;
  };
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  std::unique_ptr<runtime::Progress> bar;
  const lut::BuildProgress progress = [&](std::size_t done, std::size_t failed, std::size_t total) {
    if (!bar) bar = std::make_unique<runtime::Progress>(total, 0.0, !options.no_progress && ::isatty(STDERR_FILENO),
                                                        "layer signatures", "measured");
    if (bar->due(elapsed()) || done == total) bar->update(done, done - failed, std::nan(""), elapsed());
  };
  const lut::BuildReport r = lut::build_lut(layers.layers, measure, build, progress);
  if (bar) bar->finish();

  std::printf("lut build: %zu distinct layer signatures (%s); %zu already in %s, %zu measured now on '%s', %zu failed, "
              "%zu left for a later run; %.1f s\n",
              r.signatures, layers.exact ? "exact: enumerated by the space" : "sampled: may be incomplete", r.present,
              options.out_file.c_str(), r.measured, instance.c_str(), r.failed, r.left, elapsed());
  if (r.repaired) std::printf("lut build: dropped a partial last row left by an interrupted build\n");
  if (r.retried) std::printf("lut build: retried %zu rows that had failed before\n", r.retried);
  if (r.failed == 0) return 0;
  std::fprintf(stderr,
               "nasctl: lut build: %zu signatures failed to measure (first: %s); they are in %s with status failed; "
               "fix: correct the cause and rerun the same command (it retries failed rows)\n",
               r.failed, r.first_error.c_str(), options.out_file.c_str());
  return 1;
}

}  // namespace

}  // namespace lut_detail

int run_lut_command(const LutOptions& options) {
  if (options.action == LutOptions::Action::Check) return lut_detail::run_lut_check(options);
  return lut_detail::run_lut_build(options);
}

}  // namespace nasctl::cli
