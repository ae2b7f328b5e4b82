// The "roofline" hardware plugin: latency (and energy, where the profile
// knows the device's power) estimated from a device profile, for devices
// nasctl cannot run on. The profile is a file the user writes (`profile`)
// or one shipped with nasctl (`device`): data/devices/*.toml, installed to
// <prefix>/share/nasctl/data/devices.
#pragma once

#include <string>
#include <vector>

#include "device_profile.hpp"
#include "nasctl/metric_provider.hpp"

namespace nasctl::hardware::roofline {

class RooflineModel : public HardwareModel {
 public:
  // Reads `profile` or `device` (exactly one) and `batch`. Throws
  // ConfigError naming the key for a missing/duplicate choice or an unknown
  // device name, DataError naming file:line:col for a bad profile.
  explicit RooflineModel(const PluginContext& context);

  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const NetworkSpec& network) override;
  Conditions conditions() const override;

  const DeviceProfile& profile() const { return profile_; }

 private:
  DeviceProfile profile_;
  int batch_ = 1;
};

// The folder of the profiles shipped with nasctl: beside the installed
// plugin (<prefix>/share/nasctl/data/devices), else the source tree's
// data/devices when running from a build folder.
std::string shipped_profiles_dir();
// Names (file stems) of the shipped profiles, sorted.
std::vector<std::string> shipped_profile_names();

}  // namespace nasctl::hardware::roofline
