#include "analytic.hpp"

#include <string>

namespace nasctl::hardware::analytic {

std::vector<ConfigKey> AnalyticModel::config_keys() {
  return {ConfigKey::integer("bytes_per_element", 4, "Bytes per activation element (4 for fp32, 1 for int8)")
              .at_least(1)};
}

AnalyticModel::AnalyticModel(const PluginContext& context)
    : bytes_per_element_(context.config.get_int("bytes_per_element")) {
  if (bytes_per_element_ < 1)
    context.config.fail("bytes_per_element", "is " + std::to_string(bytes_per_element_) + "; fix: use 1, 2 or 4");
}

std::vector<MetricInfo> AnalyticModel::metrics() const {
  return {{"macs", "MAC", "Multiply-accumulates for one sample (convolutions and linear layers)"},
          {"params", "count", "Parameters: weights, biases and two per batch-norm channel"},
          {"peak_activation_bytes", "bytes", "Largest activation memory alive at once, batch 1"}};
}

Metrics AnalyticModel::evaluate(const NetworkSpec& network) {
  const NetworkCost cost = count_cost(network);
  return {{"macs", static_cast<double>(cost.macs)},
          {"params", static_cast<double>(cost.params)},
          {"peak_activation_bytes", static_cast<double>(cost.peak_activation_elements * bytes_per_element_)}};
}

Conditions AnalyticModel::conditions() const {
  return {{"method", "analytic count from the NetworkSpec (no measurement)"},
          {"batch", "1"},
          {"bytes_per_element", std::to_string(bytes_per_element_)}};
}

}  // namespace nasctl::hardware::analytic
