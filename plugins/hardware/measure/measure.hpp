// The "measure" hardware plugin: real latency of each candidate, measured
// with LibTorch on this machine (CPU or CUDA GPU). No LibTorch header here:
// nasctl_torch hides it behind nasctl/torch/latency.hpp.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nasctl/batch_measurable.hpp"
#include "nasctl/layer_measurable.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/torch/latency.hpp"

namespace nasctl::hardware::measure {

class MeasureModel : public HardwareModel, public LayerMeasurable, public BatchMeasurable {
 public:
  // Reads device, threads, batch, warmup, repeats, max_repeats,
  // ci_target_percent, max_seconds, interleave, statistic, mode, cuda_graph,
  // seed, layer_back_to_back. Throws ConfigError naming the key when
  // device = "cuda" cannot work here or max_repeats < repeats. `warn`
  // receives the noise warning (default: the log).
  explicit MeasureModel(const PluginContext& context);
  MeasureModel(const PluginContext& context, std::function<void(const std::string&)> warn);

  // The declared config keys (export.cpp's describe() returns them; tests
  // build configs from them).
  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const NetworkSpec& network) override;
  bool needs_exclusive_machine() const override { return true; }
  Conditions conditions() const override;

  // Several networks timed together, round robin (the run loop's batches,
  // `nasctl lut check`'s passes).
  std::vector<Outcome> evaluate_batch(const std::vector<const NetworkSpec*>& networks,
                                      const std::function<void(std::size_t)>& done) override;

  // Lookup-table entries: `layer_back_to_back` passes per timed sample.
  Metrics evaluate_layer(const NetworkSpec& isolated) override;
  std::string layer_protocol() const override;

  const libtorch::LatencyOptions& options() const { return options_; }
  int layer_back_to_back() const { return layer_options_.back_to_back; }
  // Measurements that stopped short of ci_target_percent so far.
  std::size_t noisy_measurements() const { return noise_.misses(); }

 private:
  std::vector<Outcome> measure(const std::vector<const NetworkSpec*>& networks,
                               const libtorch::LatencyOptions& options,
                               const std::function<void(std::size_t)>& done);
  Metrics measure_one(const NetworkSpec& network, const libtorch::LatencyOptions& options);

  std::string instance_;
  libtorch::LatencyOptions options_;        // whole networks: one pass per sample
  libtorch::LatencyOptions layer_options_;  // lone layers of a lookup table
  libtorch::NoiseWarning noise_;
};

}  // namespace nasctl::hardware::measure
