// The "measure" hardware plugin: real latency of each candidate, measured
// with LibTorch on this machine (CPU or CUDA GPU). No LibTorch header here:
// nasctl_torch hides it behind nasctl/torch/latency.hpp.
#pragma once

#include <vector>

#include "nasctl/layer_measurable.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/torch/latency.hpp"

namespace nasctl::plugins {

class MeasureModel : public HardwareModel, public LayerMeasurable {
 public:
  // Reads device, threads, batch, warmup, repeats, mode, cuda_graph, seed,
  // layer_back_to_back.
  // Throws ConfigError naming the key when device = "cuda" cannot work here.
  explicit MeasureModel(const PluginContext& context);

  // The declared config keys (export.cpp's describe() returns them; tests
  // build configs from them).
  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const NetworkSpec& network) override;
  bool needs_exclusive_machine() const override { return true; }
  Conditions conditions() const override;

  // Lookup-table entries: `layer_back_to_back` passes per timed sample.
  Metrics evaluate_layer(const NetworkSpec& isolated) override;
  std::string layer_protocol() const override;

  const libtorch::LatencyOptions& options() const { return options_; }
  int layer_back_to_back() const { return layer_options_.back_to_back; }

 private:
  Metrics measure(const NetworkSpec& network, const libtorch::LatencyOptions& options) const;

  libtorch::LatencyOptions options_;        // whole networks: one pass per sample
  libtorch::LatencyOptions layer_options_;  // lone layers of a lookup table

};

}  // namespace nasctl::plugins
