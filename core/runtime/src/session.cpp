#include "nasctl/runtime/session.hpp"

#include <algorithm>
#include <filesystem>

#include "nasctl/error.hpp"
#include "nasctl/runtime/did_you_mean.hpp"

namespace nasctl::runtime {

std::vector<std::string> Session::metric_names() const {
  std::vector<std::string> names;
  for (const auto& p : providers) {
    for (const auto& m : p.metrics) names.push_back(p.instance + "." + m.name);
  }
  return names;
}

namespace {

template <typename T>
std::shared_ptr<T> construct(Session& s, const PluginSection& section, PluginKind kind, const LoadedPlugin*& plugin) {
  try {
    plugin = &s.registry.find_for_run(kind, section.plugin, s.plugin_dirs);
  } catch (const PluginError& e) {
    throw PluginError(section.where + ": key '" + section.key_path + ".plugin': " + e.what());
  }
  const PluginConfig cfg = validate_table(section, plugin->descriptor.info.keys);
  const PluginContext context{cfg, section.instance, s.config.seed};
  return s.registry.create_as<T>(*plugin, context);
}

void check_metric(const Session& s, const std::string& metric, const std::string& where, const std::string& key) {
  const auto names = s.metric_names();
  if (std::find(names.begin(), names.end(), metric) != names.end()) return;
  std::string all;
  for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
  throw ConfigError(where + ": key '" + key + ".metric': no provider gives metric '" + metric + "'" +
                    did_you_mean(metric, names) + " (available: " + all +
                    "); fix: use one of the available metrics, or add the provider that gives it");
}

}  // namespace

std::unique_ptr<Session> open_session(RunConfig config, bool with_search) {
  if (with_search && !config.searches) {
    if (config.only_describes_space())
      throw ConfigError(config.file + ": key 'search': is required to search; this config only describes a space "
                        "([space] alone, for nasctl space info); fix: add [search], [[objectives]], [budget] and a "
                        "metric provider ([[hardware]] or [accuracy]); `nasctl defaults` prints a complete config");
    throw ConfigError(config.file + ": key 'search': is required to search; this config only trains a super-network "
                      "([train] without [search]); fix: run it with nasctl train, or add [search], [[objectives]], "
                      "[budget] and a metric provider");
  }
  auto s = std::make_unique<Session>();
  s->config = std::move(config);
  s->plugin_dirs = default_plugin_dirs();
  for (const auto& dir : s->config.plugin_paths) {
    if (!std::filesystem::exists(dir))
      throw PluginError(dir + ": plugin folder does not exist (named in [plugins] paths); fix: correct the path (relative paths resolve against the config file's folder)");
    s->plugin_dirs.push_back(dir);
  }

  s->space = construct<SearchSpace>(*s, s->config.space, PluginKind::Space, s->space_plugin);
  auto add_provider = [&](const PluginSection& section, PluginKind kind) {
    ProviderInstance p;
    p.instance = section.instance;
    p.provider = construct<MetricProvider>(*s, section, kind, p.plugin);
    p.metrics = p.provider->metrics();
    s->providers.push_back(std::move(p));
  };
  if (s->config.accuracy) add_provider(*s->config.accuracy, PluginKind::Accuracy);
  for (const auto& hw : s->config.hardware) add_provider(hw, PluginKind::Hardware);

  for (std::size_t i = 0; i < s->config.objectives.size(); ++i)
    check_metric(*s, s->config.objectives[i].metric, s->config.objective_where[i], "objectives[" + std::to_string(i) + "]");
  for (std::size_t i = 0; i < s->config.constraints.size(); ++i)
    check_metric(*s, s->config.constraints[i].metric, s->config.constraint_where[i], "constraints[" + std::to_string(i) + "]");

  // Providers that need the space (tables index by architecture, predictors
  // fit on the space's encoding) set up now, once, before any evaluation
  // thread exists: a table that does not match the space is a config error
  // reported here, not a failed evaluation in the middle of a run.
  for (auto& p : s->providers) p.provider->prepare(*s->space);

  s->problem.space = s->space.get();
  s->problem.objectives = s->config.objectives;
  s->problem.constraints = s->config.constraints;
  s->problem.seed = s->config.seed;
  s->problem.evaluation_budget = s->config.budget_evaluations;
  if (with_search) s->search = construct<SearchStrategy>(*s, s->config.search, PluginKind::Search, s->search_plugin);
  return s;
}

}  // namespace nasctl::runtime
