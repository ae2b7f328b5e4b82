// `nasctl space info [-c FILE] [--json]`: what the config's space is. Its
// plugin and validated keys; its decision variables with their choices
// (consecutive variables with the same choices and numbered names as one
// line, e.g. `ks[0..19] {3,5,7}`); its size exactly (Boost.Multiprecision,
// header-only), as the product of the choice counts (what
// SearchSpace::size() approximates as a double) and, where the space says it
// (SizeExtremes::distinct_networks()), as the number of distinct networks;
// and, where the space names them (SizeExtremes), the MACs and parameters of
// its smallest and largest network. Only the space is built: no provider is
// constructed or prepared (that is `nasctl validate`'s work).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/plugin_loader.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/size_extremes.hpp"

namespace nasctl::cli {

namespace {

using boost::multiprecision::cpp_int;

// The space as the config builds it; the registry keeps its library loaded.
struct LoadedSpace {
  runtime::PluginRegistry registry;
  const runtime::LoadedPlugin* plugin = nullptr;
  PluginConfig config;
  std::shared_ptr<SearchSpace> space;
};

// What runtime::open_session does for [space], without the providers and the
// strategy: the same plugin folders and the same errors.
std::unique_ptr<LoadedSpace> load_space(const runtime::RunConfig& config) {
  auto loaded = std::make_unique<LoadedSpace>();
  std::vector<std::string> dirs = runtime::default_plugin_dirs();
  for (const auto& dir : config.plugin_paths) {
    if (!std::filesystem::exists(dir))
      throw PluginError(dir + ": plugin folder does not exist (named in [plugins] paths); fix: correct the path "
                              "(relative paths resolve against the config file's folder)");
    dirs.push_back(dir);
  }
  const runtime::PluginSection& section = config.space;
  try {
    loaded->plugin = &loaded->registry.find_for_run(PluginKind::Space, section.plugin, dirs);
  } catch (const PluginError& e) {
    throw PluginError(section.where + ": key '" + section.key_path + ".plugin': " + e.what());
  }
  loaded->config = runtime::validate_table(section, loaded->plugin->descriptor.info.keys);
  const PluginContext context{loaded->config, section.instance, config.seed};
  loaded->space = loaded->registry.create_as<SearchSpace>(*loaded->plugin, context);
  return loaded;
}

// Consecutive variables with the same choices and names <prefix><n>,
// <prefix><n+1>, ...: one line "prefix[n..m]".
struct VariableGroup {
  std::string names;
  std::size_t first = 0;
  std::size_t count = 0;
};

// Splits "ks12" into ("ks", 12); false when the name does not end in digits.
bool numbered(const std::string& name, std::string& prefix, unsigned long long& index) {
  std::size_t digits = name.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(name[digits - 1]))) --digits;
  if (digits == name.size() || digits == 0 || name.size() - digits > 9) return false;
  prefix = name.substr(0, digits);
  index = std::stoull(name.substr(digits));
  return true;
}

std::vector<VariableGroup> group_variables(const std::vector<DecisionVariable>& vars) {
  std::vector<VariableGroup> groups;
  for (std::size_t i = 0; i < vars.size();) {
    std::string prefix;
    unsigned long long start = 0;
    std::size_t j = i + 1;
    if (numbered(vars[i].name, prefix, start)) {
      for (; j < vars.size(); ++j) {
        std::string p;
        unsigned long long n = 0;
        if (!numbered(vars[j].name, p, n) || p != prefix || n != start + (j - i) || vars[j].labels != vars[i].labels ||
            vars[j].values != vars[i].values)
          break;
      }
    }
    VariableGroup g;
    g.first = i;
    g.count = j - i;
    g.names = g.count == 1 ? vars[i].name
                           : prefix + "[" + std::to_string(start) + ".." + std::to_string(start + g.count - 1) + "]";
    groups.push_back(std::move(g));
    i = j;
  }
  return groups;
}

std::string braced(const std::vector<std::string>& labels, std::size_t from = 0) {
  std::string text = "{";
  for (std::size_t i = from; i < labels.size(); ++i) text += (i > from ? "," : "") + labels[i];
  return text + "}";
}

// Group i's choices; long lists an earlier group already showed are named
// after it ("as l0", or "as l0 + {skip}" where they extend it), so spaces of
// many operators per layer (hurricane) stay readable.
std::string choices_text(const std::vector<DecisionVariable>& vars, const std::vector<VariableGroup>& groups,
                         std::size_t i) {
  const std::vector<std::string>& labels = vars[groups[i].first].labels;
  if (labels.size() > 8) {
    for (std::size_t k = 0; k < i; ++k) {
      const std::vector<std::string>& earlier = vars[groups[k].first].labels;
      if (earlier.size() > labels.size() || !std::equal(earlier.begin(), earlier.end(), labels.begin())) continue;
      if (earlier.size() == labels.size()) return "as " + groups[k].names;
      // Only a few choices more: name the earlier group and list the rest.
      if (labels.size() - earlier.size() <= 4) return "as " + groups[k].names + " + " + braced(labels, earlier.size());
    }
  }
  return braced(labels);
}

// "3^45 * 2": the product of the choice counts, by count.
std::string factors_text(const std::vector<DecisionVariable>& vars) {
  std::map<int, unsigned> exponents;
  for (const auto& v : vars)
    if (v.cardinality() != 1) ++exponents[v.cardinality()];
  if (exponents.empty()) return "1";
  std::string text;
  for (const auto& [base, exponent] : exponents)
    text += (text.empty() ? "" : " * ") + std::to_string(base) + (exponent > 1 ? "^" + std::to_string(exponent) : "");
  return text;
}

// "~2.95e21" (three significant digits, from the exact decimal).
std::string scientific(const cpp_int& n) {
  const std::string digits = n.str();
  if (digits.size() <= 6) return digits;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2e", n.convert_to<double>());
  std::string text = buf;
  const std::size_t e = text.find('e');
  std::string exponent = text.substr(e + 1);
  if (!exponent.empty() && exponent[0] == '+') exponent.erase(0, 1);
  while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
  return "~" + text.substr(0, e) + "e" + exponent;
}

// "255.5 M" beside an exact count of MACs or parameters.
std::string human(int64_t n) {
  char buf[64];
  if (n >= 1000000000) std::snprintf(buf, sizeof buf, "%.2f G", static_cast<double>(n) / 1e9);
  else if (n >= 1000000) std::snprintf(buf, sizeof buf, "%.2f M", static_cast<double>(n) / 1e6);
  else if (n >= 1000) std::snprintf(buf, sizeof buf, "%.2f k", static_cast<double>(n) / 1e3);
  else return std::to_string(n);
  return buf;
}

nlohmann::json config_value_json(const ConfigValue& value) {
  return std::visit(
      [](const auto& v) -> nlohmann::json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
        else return nlohmann::json(v);
      },
      value);
}

struct Extreme {
  std::string arch;
  int64_t macs = 0;
  int64_t params = 0;
};

Extreme describe_extreme(const SearchSpace& space, const Architecture& arch, const std::string& plugin,
                         const char* which) {
  try {
    space.check(arch);
  } catch (const ArchitectureError& e) {
    throw PluginError("space plugin '" + plugin + "': its " + which + "() is no architecture of the space (" +
                      e.what() + "); fix: the plugin's SizeExtremes must return a valid architecture");
  }
  const NetworkCost cost = count_cost(space.lower(arch));
  return Extreme{space.to_string(space.canonicalize(arch)), cost.macs, cost.params};
}

}  // namespace

CLI::App* add_space_info_command(CLI::App& space, SpaceInfoOptions& options) {
  auto* info = space.add_subcommand(
      "info", "Print the config's space: plugin and keys, decision variables and their choices, its size exactly "
              "(and its number of distinct networks), and its smallest and largest network's MACs and parameters");
  info->add_option("-c,--config", options.config.config_file, "TOML config (its [space]; default: the embedded one)");
  info->add_option("--set", options.config.overrides, "Override a config key: dotted.key=value (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  info->add_flag("--json", options.json, "Print the same as JSON (big counts as decimal strings)");
  info->parse_complete_callback([&options] { options.requested = true; });
  return info;
}

int run_space_info_command(const SpaceInfoOptions& options) {
  const runtime::RunConfig config = load_config(options.config);
  const std::unique_ptr<LoadedSpace> loaded = load_space(config);
  const SearchSpace& space = *loaded->space;
  const PluginInfo& info = loaded->plugin->descriptor.info;
  const std::vector<DecisionVariable>& vars = space.variables();

  cpp_int size = 1;
  for (const auto& v : vars) size *= static_cast<unsigned>(v.cardinality());
  const std::vector<VariableGroup> groups = group_variables(vars);

  const auto* extremes = dynamic_cast<const SizeExtremes*>(&space);
  std::optional<cpp_int> distinct;
  std::optional<Extreme> smallest, largest;
  if (extremes) {
    const std::string text = extremes->distinct_networks();
    if (!text.empty()) {
      const bool digits = text.find_first_not_of("0123456789") == std::string::npos && text.size() < 10000;
      if (!digits)
        throw PluginError("space plugin '" + info.name + "': distinct_networks() returned '" + text.substr(0, 40) +
                          "', not a decimal number; fix: return the count's digits, or an empty string");
      distinct = cpp_int(text);
      if (*distinct > size || *distinct == 0)
        throw PluginError("space plugin '" + info.name + "': distinct_networks() is " + text +
                          ", outside 1.." + size.str() + " (the product of its choice counts); fix: count the classes "
                          "canonicalize() makes");
    }
    smallest = describe_extreme(space, extremes->smallest(), info.name, "smallest");
    largest = describe_extreme(space, extremes->largest(), info.name, "largest");
  }

  // Keys in their declared order.
  std::vector<std::pair<std::string, const PluginConfig::Entry*>> keys;
  for (const auto& key : info.keys) {
    const auto it = loaded->config.entries().find(key.name);
    if (it != loaded->config.entries().end()) keys.emplace_back(key.name, &it->second);
  }

  if (options.json) {
    nlohmann::json keys_json = nlohmann::json::object();
    for (const auto& [name, entry] : keys) keys_json[name] = config_value_json(entry->value);
    nlohmann::json variables = nlohmann::json::array();
    for (const auto& v : vars) {
      nlohmann::json j{{"name", v.name}, {"choices", v.labels}};
      if (!v.values.empty()) j["values"] = v.values;
      variables.push_back(std::move(j));
    }
    nlohmann::json groups_json = nlohmann::json::array();
    for (const auto& g : groups)
      groups_json.push_back({{"names", g.names},
                             {"first", g.first},
                             {"count", g.count},
                             {"choices", vars[g.first].labels}});
    auto extreme_json = [](const std::optional<Extreme>& e) -> nlohmann::json {
      if (!e) return nullptr;
      return {{"arch", e->arch}, {"macs", e->macs}, {"params", e->params}};
    };
    nlohmann::json j{
        {"config", config.file},
        {"space", {{"plugin", info.name}, {"version", info.version}, {"where", config.space.where}, {"config", keys_json}}},
        {"variables", variables},
        {"groups", groups_json},
        {"size", {{"exact", size.str()}, {"factors", factors_text(vars)}, {"approx", size.convert_to<double>()}}},
        {"distinct_networks", distinct ? nlohmann::json{{"exact", distinct->str()}, {"approx", distinct->convert_to<double>()}}
                                       : nlohmann::json(nullptr)},
        {"declares_extremes", extremes != nullptr},
        {"smallest", extreme_json(smallest)},
        {"largest", extreme_json(largest)},
    };
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }

  std::printf("space: %s %s ([space] at %s)\n", info.name.c_str(), info.version.c_str(), config.space.where.c_str());
  for (const auto& [name, entry] : keys) {
    if (std::holds_alternative<std::monostate>(entry->value)) std::printf("  %s: not set\n", name.c_str());
    else
      std::printf("  %s = %s%s\n", name.c_str(), to_toml(entry->value).c_str(),
                  entry->where == "default" ? "  (default)" : "");
  }

  std::size_t width = 0;
  for (const auto& g : groups) width = std::max(width, g.names.size());
  std::printf("variables: %zu\n", vars.size());
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const DecisionVariable& v = vars[groups[i].first];
    std::printf("  %-*s  %d choice%s  %s\n", static_cast<int>(width), groups[i].names.c_str(), v.cardinality(),
                v.cardinality() == 1 ? " " : "s", choices_text(vars, groups, i).c_str());
  }

  std::printf("size: %s = %s (%s) architectures\n", size.str().c_str(), factors_text(vars).c_str(),
              scientific(size).c_str());
  if (!distinct)
    std::printf("distinct networks: not declared by the space (at most the size)\n");
  else if (*distinct == size)
    std::printf("distinct networks: %s (every architecture is a different network)\n", distinct->str().c_str());
  else
    std::printf("distinct networks: %s (%s): fewer than the size, as choices the network does not use (e.g. of "
                "unused block slots) do not make a different network\n",
                distinct->str().c_str(), scientific(*distinct).c_str());

  if (!extremes) {
    std::printf("smallest/largest: the space does not declare its extremes (its plugin implements no SizeExtremes)\n");
    return 0;
  }
  for (const auto& [label, e] : {std::pair{"smallest", &*smallest}, std::pair{"largest", &*largest}}) {
    std::printf("%s: %lld MACs (%s), %lld parameters (%s)\n  %s\n", label, static_cast<long long>(e->macs),
                human(e->macs).c_str(), static_cast<long long>(e->params), human(e->params).c_str(), e->arch.c_str());
  }
  return 0;
}

}  // namespace nasctl::cli
