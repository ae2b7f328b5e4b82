// The "measure" hardware plugin: real latency of each candidate, measured
// with LibTorch on this machine (CPU or CUDA GPU). No LibTorch header here:
// nasctl_torch hides it behind nasctl/torch/latency.hpp.
#pragma once

#include <vector>

#include "nasctl/metric_provider.hpp"
#include "nasctl/torch/latency.hpp"

namespace nasctl::plugins {

class MeasureModel : public HardwareModel {
 public:
  // Reads device, threads, batch, warmup, repeats, mode, cuda_graph, seed.
  // Throws ConfigError naming the key when device = "cuda" cannot work here.
  explicit MeasureModel(const PluginContext& context);

  // The declared config keys (export.cpp's describe() returns them; tests
  // build configs from them).
  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const NetworkSpec& network) override;
  bool needs_exclusive_machine() const override { return true; }
  Conditions conditions() const override;

  const libtorch::LatencyOptions& options() const { return options_; }

 private:
  libtorch::LatencyOptions options_;
};

}  // namespace nasctl::plugins
