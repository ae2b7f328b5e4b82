#include "roofline.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "layer_cost.hpp"
#include "nasctl/error.hpp"
#include "nasctl/metrics.hpp"
#include "nasctl/text.hpp"

// Set by CMakeLists.txt; the defaults serve builds that compile this file
// directly (tests), where only the source-tree folder can be found.
#ifndef NASCTL_ROOFLINE_RELATIVE_DEVICES
#define NASCTL_ROOFLINE_RELATIVE_DEVICES "../../../share/nasctl/data/devices"
#endif
#ifndef NASCTL_ROOFLINE_SOURCE_DEVICES
#define NASCTL_ROOFLINE_SOURCE_DEVICES ""
#endif

namespace nasctl::hardware::roofline {

namespace fs = std::filesystem;

namespace {

std::string energy_text(const EnergyModel& e) {
  switch (e.kind) {
    case EnergyModel::Kind::None: return "none (no power figure in the profile)";
    case EnergyModel::Kind::AveragePower: return six_digits(e.average_power_w) + " W x latency";
    case EnergyModel::Kind::PerOperation:
      return six_digits(e.pj_per_mac) + " pJ/MAC + " + six_digits(e.pj_per_element) + " pJ/element op + " +
             six_digits(e.pj_per_byte) + " pJ/byte + " + six_digits(e.static_power_w) + " W x latency";
  }
  return "";
}

std::string profile_path(const PluginConfig& config) {
  const bool has_profile = config.has("profile");
  const bool has_device = config.has("device");
  if (has_profile && has_device)
    config.fail("device", "is given together with 'profile'; fix: keep one of them (a shipped device or your own file)");
  if (has_profile) return config.get_path("profile");
  if (!has_device)
    config.fail("profile", "is missing; fix: set profile = \"my-device.toml\" or device = one of " +
                               joined(shipped_profile_names()));
  const std::string& name = config.get_string("device");
  const std::vector<std::string> names = shipped_profile_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    config.fail("device", "'" + name + "' is not a shipped profile (in " + shipped_profiles_dir() +
                              "); fix: use one of " + joined(names) + ", or write your own and set profile");
  return (fs::path(shipped_profiles_dir()) / (name + ".toml")).string();
}

}  // namespace

std::string shipped_profiles_dir() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&shipped_profiles_dir), &info) != 0 && info.dli_fname) {
    const fs::path beside = fs::path(info.dli_fname).parent_path() / NASCTL_ROOFLINE_RELATIVE_DEVICES;
    std::error_code ec;
    if (fs::is_directory(beside, ec)) return beside.lexically_normal().string();
  }
  return NASCTL_ROOFLINE_SOURCE_DEVICES;
}

std::vector<std::string> shipped_profile_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(shipped_profiles_dir(), ec)) {
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<ConfigKey> RooflineModel::config_keys() {
  return {
      ConfigKey::optional("profile", ConfigType::Path,
                          "Device profile TOML: peak rate and efficiency per op class, memory bandwidth, bytes per "
                          "element, per-layer overhead, optional energy (format: docs/hardware.md)"),
      ConfigKey::optional("device", ConfigType::String,
                          "Instead of `profile`: a profile shipped with nasctl, by name: hexagon-685, myriad-x, "
                          "snapdragon-845-cpu, h100-sxm (every number in them is a cited ESTIMATE)"),
      ConfigKey::integer("batch", 1, "Samples per forward pass; latency_ms is per forward pass").at_least(1),
  };
}

RooflineModel::RooflineModel(const PluginContext& context)
    : profile_(load_device_profile(profile_path(context.config))),
      batch_(static_cast<int>(context.config.get_int("batch"))) {}

std::vector<MetricInfo> RooflineModel::metrics() const {
  std::vector<MetricInfo> m{{"latency_ms", "ms",
                             "Roofline ESTIMATE: sum over layers of max(compute, memory) time + per-layer overhead "
                             "on the profiled device"}};
  if (profile_.has_energy())
    m.push_back({"energy_mj", "mJ", "Energy ESTIMATE of one forward pass from the profile's power/energy figures"});
  return m;
}

Metrics RooflineModel::evaluate(const NetworkSpec& network) {
  const NetworkEstimate e = estimate_network(profile_, network, batch_);
  Metrics out{{"latency_ms", e.latency_s * 1e3}};
  if (profile_.has_energy()) out["energy_mj"] = e.energy_j * 1e3;
  return out;
}

Conditions RooflineModel::conditions() const {
  return {{"method", "roofline estimate from a device profile (not a measurement)"},
          {"device", profile_.device},
          {"profile", profile_.file},
          {"precision", profile_.precision},
          {"batch", std::to_string(batch_)},
          {"bytes_per_element", six_digits(profile_.bytes_per_element)},
          {"layer_overhead_us", six_digits(profile_.layer_overhead_s * 1e6)},
          {"energy_model", energy_text(profile_.energy)}};
}

}  // namespace nasctl::hardware::roofline
