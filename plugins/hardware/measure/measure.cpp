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
      ConfigKey::integer("repeats", 30, "Timed forward passes; latency_ms is their `statistic`").at_least(3),
      ConfigKey::choice("statistic", "median", {"median", "p10", "min"},
                        "What latency_ms (and latency_cpu_ms) report of the timed passes: \"median\" on a quiet "
                        "machine; \"p10\" (10th percentile) or \"min\" where other processes share the cores "
                        "(they only add time, so the low end repeats best)"),
      ConfigKey::choice("mode", "optimized", {"optimized", "eager"},
                        "\"optimized\": frozen TorchScript + optimize_for_inference (BN folded, oneDNN on CPU), "
                        "what a deployment runtime runs; \"eager\": the plain module op by op"),
      ConfigKey::boolean("cuda_graph", true,
                         "CUDA only: capture the forward pass in a CUDA graph and time its replay (launch "
                         "overhead otherwise dominates batch-1 GPU latency)"),
      ConfigKey::integer("seed", 0, "Seed of the random weights and input (latency does not depend on it)")
          .at_least(0),
      ConfigKey::integer("layer_back_to_back", 0,
                         "`nasctl lut build` only: passes of a lone layer run back to back per timed sample (on "
                         "CUDA in one graph), the entry being the per-pass share, so that it leaves out the "
                         "per-inference launch cost a network pays once; 0: 20 on CUDA, 1 on CPU")
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
  for (const libtorch::Statistic s : {libtorch::Statistic::Median, libtorch::Statistic::P10, libtorch::Statistic::Min}) {
    if (config.get_string("statistic") == libtorch::to_string(s)) options_.statistic = s;
  }
  // On a CPU the per-call cost is paid per pass, back to back or not (and
  // the calibration's per-layer term absorbs it); on a GPU a graph launch
  // is paid once per sample and 20 passes make it a few percent of a layer.
  const int back_to_back = static_cast<int>(config.get_int("layer_back_to_back"));
  layer_options_ = options_;
  layer_options_.back_to_back = back_to_back > 0 ? back_to_back : options_.device == libtorch::Device::Cuda ? 20 : 1;
  if (options_.device == libtorch::Device::Cuda) {
    const std::string why = libtorch::cuda_unavailable_reason();
    if (!why.empty()) config.fail("device", "\"cuda\" cannot be measured: " + why);
  }
}

std::vector<MetricInfo> MeasureModel::metrics() const {
  return {
      {"latency_ms", "ms", "Measured latency of one forward pass of `batch` samples (the `statistic` of the runs)"},
      {"latency_spread", "ratio", "(p90 - p10) / median of the timed runs: measurement noise, relative"},
      {"latency_cpu_ms", "ms",
       "CPU time of the process per forward pass (all threads, the `statistic` of the runs); steadier than "
       "latency_ms when other processes share the cores"},
  };
}

Metrics MeasureModel::evaluate(const NetworkSpec& network) { return measure(network, options_); }

Metrics MeasureModel::evaluate_layer(const NetworkSpec& isolated) { return measure(isolated, layer_options_); }

std::string MeasureModel::layer_protocol() const {
  const int n = layer_options_.back_to_back;
  if (n == 1) return "one pass per timed sample";
  return std::to_string(n) + " passes back to back per timed sample" +
         (options_.device == libtorch::Device::Cuda && options_.cuda_graph ? " (one CUDA graph)" : "") +
         ", per-pass share";
}

Metrics MeasureModel::measure(const NetworkSpec& network, const libtorch::LatencyOptions& options) const {
  try {
    const libtorch::LatencyStats stats = libtorch::measure_latency(network, options);
    return {{"latency_ms", libtorch::latency_figure(stats, options.statistic)},
            {"latency_spread", stats.relative_spread},
            {"latency_cpu_ms", libtorch::latency_figure(stats, options.statistic, true)}};
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

Conditions MeasureModel::conditions() const {
  Conditions c = libtorch::measurement_conditions(options_);
  // The same for a table's build and its check (both read this instance).
  // Only when > 1: tables measured one pass per entry before the key
  // existed keep the conditions they were built under, and stay extendable.
  if (layer_options_.back_to_back > 1) c["layer_back_to_back"] = std::to_string(layer_options_.back_to_back);
  return c;
}

}  // namespace nasctl::plugins
