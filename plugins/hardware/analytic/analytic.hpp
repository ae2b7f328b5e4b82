// The analytic hardware model: counts instead of measurements. MACs, the
// parameter count and peak activation memory follow from the NetworkSpec
// alone (nasctl::count_cost), so they are exact, instant and device-free.
#pragma once

#include <cstdint>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/metric_provider.hpp"

namespace nasctl::hardware::analytic {

class AnalyticModel : public HardwareModel {
 public:
  explicit AnalyticModel(const PluginContext& context);
  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const NetworkSpec& network) override;
  Conditions conditions() const override;

 private:
  int64_t bytes_per_element_ = 4;
};

}  // namespace nasctl::hardware::analytic
