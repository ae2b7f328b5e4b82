// MeasureModel: config -> LatencyOptions, and one measurement per candidate.
#include "measure.hpp"

#include <exception>
#include <string>

#include "nasctl/error.hpp"

namespace nasctl::plugins {

std::vector<ConfigKey> MeasureModel::config_keys() {
  return {
      ConfigKey::choice("device", "cpu", {"cpu", "cuda"},
                        "Where to run: \"cpu\", or \"cuda\" (needs nasctl built against a CUDA LibTorch and a "
                        "visible GPU)"),
      ConfigKey::integer("threads", 1, "Intra-op threads (LibTorch and OpenBLAS); set for the whole process")
          .at_least(1),
      ConfigKey::integer("batch", 1, "Samples per forward pass; latency_ms is per forward pass").at_least(1),
      ConfigKey::integer("warmup", 10, "Untimed forward passes before timing").at_least(0),
      ConfigKey::integer("repeats", 30, "Timed forward passes; latency_ms is their median").at_least(3),
      ConfigKey::choice("mode", "optimized", {"optimized", "eager"},
                        "\"optimized\": frozen TorchScript + optimize_for_inference (BN folded, oneDNN on CPU), "
                        "what a deployment runtime runs; \"eager\": the plain module op by op"),
      ConfigKey::boolean("cuda_graph", true,
                         "CUDA only: capture the forward pass in a CUDA graph and time its replay (launch "
                         "overhead otherwise dominates batch-1 GPU latency)"),
      ConfigKey::integer("seed", 0, "Seed of the random weights and input (latency does not depend on it)")
          .at_least(0),
  };
}

MeasureModel::MeasureModel(const PluginContext& context) {
  const PluginConfig& config = context.config;
  options_.device = config.get_string("device") == "cuda" ? libtorch::Device::Cuda : libtorch::Device::Cpu;
  options_.mode = config.get_string("mode") == "eager" ? libtorch::ExecutionMode::Eager
                                                        : libtorch::ExecutionMode::Optimized;
  options_.threads = static_cast<int>(config.get_int("threads"));
  options_.batch = static_cast<int>(config.get_int("batch"));
  options_.warmup = static_cast<int>(config.get_int("warmup"));
  options_.repeats = static_cast<int>(config.get_int("repeats"));
  options_.cuda_graph = config.get_bool("cuda_graph");
  options_.seed = static_cast<uint64_t>(config.get_int("seed"));
  if (options_.device == libtorch::Device::Cuda) {
    const std::string why = libtorch::cuda_unavailable_reason();
    if (!why.empty()) config.fail("device", "\"cuda\" cannot be measured: " + why);
  }
}

std::vector<MetricInfo> MeasureModel::metrics() const {
  return {
      {"latency_ms", "ms", "Median measured latency of one forward pass of `batch` samples"},
      {"latency_spread", "ratio", "(p90 - p10) / median of the timed runs: measurement noise, relative"},
      {"latency_cpu_ms", "ms",
       "Median CPU time of the process per forward pass (all threads); steadier than latency_ms when other "
       "processes share the cores"},
  };
}

Metrics MeasureModel::evaluate(const NetworkSpec& network) {
  try {
    const libtorch::LatencyStats stats = libtorch::measure_latency(network, options_);
    return {{"latency_ms", stats.median_ms},
            {"latency_spread", stats.relative_spread},
            {"latency_cpu_ms", stats.cpu_median_ms}};
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    // LibTorch errors are long and multi-line; the first line says what failed.
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    throw EvaluationError("measure: network '" + network.name + "': LibTorch failed: " + what +
                          "; fix: check the space's lower() output with nasctl::check_network, or try mode = "
                          "\"eager\"");
  }
}

Conditions MeasureModel::conditions() const { return libtorch::measurement_conditions(options_); }

}  // namespace nasctl::plugins
