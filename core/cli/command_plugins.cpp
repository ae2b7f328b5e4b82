#include <algorithm>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "key_reference.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/did_you_mean.hpp"
#include "nasctl/runtime/plugin_loader.hpp"

namespace nasctl::cli {

namespace {

nlohmann::json key_json(const ConfigKey& k) {
  nlohmann::json j{{"name", k.name}, {"type", to_string(k.type)}, {"doc", k.doc}, {"required", k.required}};
  if (!std::holds_alternative<std::monostate>(k.default_value)) j["default"] = to_toml(k.default_value);
  if (!k.allowed.empty()) j["allowed"] = k.allowed;
  if (k.min) j["min"] = *k.min;
  if (k.max) j["max"] = *k.max;
  return j;
}

// "name" or "kind/name": a space and a search plugin may share a name
// (hurricane), so a plain name shows every plugin that has it.
std::vector<const runtime::LoadedPlugin*> plugins_named(const runtime::PluginRegistry& registry, const std::string& wanted) {
  const std::size_t slash = wanted.find('/');
  const std::string kind = slash == std::string::npos ? "" : wanted.substr(0, slash);
  const std::string name = slash == std::string::npos ? wanted : wanted.substr(slash + 1);
  std::vector<const runtime::LoadedPlugin*> found;
  std::vector<std::string> names;
  for (const auto& q : registry.plugins()) {
    names.push_back(q.descriptor.info.name);
    if (q.descriptor.info.name == name && (kind.empty() || kind == to_string(q.descriptor.kind))) found.push_back(&q);
  }
  if (found.empty())
    throw PluginError("no plugin named '" + wanted + "'" + runtime::did_you_mean(name, names) +
                      "; fix: run `nasctl plugins` to list them");
  return found;
}

void show_one(const runtime::LoadedPlugin* p, const PluginsOptions& options);

nlohmann::json plugin_json(const runtime::LoadedPlugin* p) {
  const auto& info = p->descriptor.info;
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : info.keys) keys.push_back(key_json(k));
  return {{"kind", to_string(p->descriptor.kind)}, {"name", info.name},        {"version", info.version},
          {"description", info.description},        {"file", p->file},          {"keys", keys}};
}

int show_plugin(const runtime::PluginRegistry& registry, const PluginsOptions& options) {
  const auto found = plugins_named(registry, options.show);
  if (options.json) {
    // One object for one plugin; an array when several kinds share the name.
    nlohmann::json all = nlohmann::json::array();
    for (const auto* p : found) all.push_back(plugin_json(p));
    std::cout << (found.size() == 1 ? all[0] : all).dump(2) << "\n";
    return 0;
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i) std::printf("\n");
    show_one(found[i], options);
  }
  return 0;
}

void show_one(const runtime::LoadedPlugin* p, const PluginsOptions& options) {
  const auto& info = p->descriptor.info;
  std::printf("%s plugin '%s' %s\n  %s\n  file: %s\n\nconfig keys:\n", to_string(p->descriptor.kind), info.name.c_str(),
              info.version.c_str(), info.description.c_str(), p->file.c_str());
  if (info.keys.empty()) std::printf("  (none)\n");
  for (const auto& k : info.keys) {
    std::string def = k.required ? "required" : std::holds_alternative<std::monostate>(k.default_value) ? "optional" : "default " + to_toml(k.default_value);
    std::string extra;
    if (!k.allowed.empty()) {
      for (const auto& a : k.allowed) extra += (extra.empty() ? " one of: " : ", ") + a;
    }
    if (k.min) extra += " min " + bound_text(*k.min);
    if (k.max) extra += " max " + bound_text(*k.max);
    std::printf("  %-18s %-16s %s\n  %-18s %s%s\n", k.name.c_str(), to_string(k.type), def.c_str(), "", k.doc.c_str(),
                extra.empty() ? "" : (" (" + extra.substr(1) + ")").c_str());
  }
  return;
}

// Generated from the descriptors, so docs/config.md cannot drift from what
// the plugins accept (a test compares the two).
int print_markdown(const runtime::PluginRegistry& registry) {
  std::vector<const runtime::LoadedPlugin*> sorted;
  for (const auto& p : registry.plugins()) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
    return std::make_pair(std::string(to_string(a->descriptor.kind)), a->descriptor.info.name) <
           std::make_pair(std::string(to_string(b->descriptor.kind)), b->descriptor.info.name);
  });
  for (const auto* p : sorted) {
    const auto& info = p->descriptor.info;
    std::printf("### %s `%s` (%s)\n\n%s.\n\n", to_string(p->descriptor.kind), info.name.c_str(), info.version.c_str(),
                info.description.c_str());
    if (info.keys.empty()) {
      std::printf("No keys.\n\n");
      continue;
    }
    std::fputs(markdown_key_table(info.keys).c_str(), stdout);
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int run_plugins_command(const PluginsOptions& options) {
  runtime::PluginRegistry registry;
  registry.scan(runtime::default_plugin_dirs(), false);
  registry.scan(options.paths, true);
  if (!options.show.empty()) return show_plugin(registry, options);
  if (options.markdown) return print_markdown(registry);
  if (options.json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& p : registry.plugins())
      all.push_back({{"kind", to_string(p.descriptor.kind)}, {"name", p.descriptor.info.name},
                     {"version", p.descriptor.info.version}, {"file", p.file}, {"description", p.descriptor.info.description}});
    std::cout << all.dump(2) << "\n";
    return 0;
  }
  std::printf("%-9s %-18s %-8s %-s\n", "KIND", "NAME", "VERSION", "DESCRIPTION / FILE");
  for (const auto& p : registry.plugins()) {
    std::printf("%-9s %-18s %-8s %s\n%-37s %s\n", to_string(p.descriptor.kind), p.descriptor.info.name.c_str(),
                p.descriptor.info.version.c_str(), p.descriptor.info.description.c_str(), "", p.file.c_str());
  }
  if (registry.plugins().empty())
    std::printf("(no plugins found in %s; set NAS_PLUGIN_PATH or pass --path)\n", runtime::builtin_plugin_dir().c_str());
  return 0;
}

}  // namespace nasctl::cli
