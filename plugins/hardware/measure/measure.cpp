// MeasureModel: config -> LatencyOptions, and the measurements.
#include "measure.hpp"

#include <exception>
#include <string>

#include "nasctl/error.hpp"
#include "noise_log.hpp"

namespace nasctl::hardware::measure {

std::vector<ConfigKey> MeasureModel::config_keys() {
  return {
      ConfigKey::choice("device", "cpu", {"cpu", "cuda"},
                        "Where to run: \"cpu\", or \"cuda\" (needs nasctl built against a CUDA LibTorch and a "
                        "visible GPU)"),
      ConfigKey::integer("threads", 1, "Intra-op threads (LibTorch and OpenBLAS); set for the whole process")
          .at_least(1),
      ConfigKey::integer("batch", 1, "Samples per forward pass; latency_ms is per forward pass").at_least(1),
      ConfigKey::integer("warmup", 10, "Untimed forward passes before timing").at_least(0),
      ConfigKey::integer("repeats", 30,
                         "Timed forward passes, at least; latency_ms is their `statistic` (more are timed until "
                         "ci_target_percent is reached)")
          .at_least(3),
      ConfigKey::integer("max_repeats", 1000, "Timed forward passes, at most, however far ci_target_percent is")
          .at_least(3),
      ConfigKey::real("ci_target_percent", 2.0,
                      "Time more passes (beyond `repeats`) until the 95% confidence interval of the `statistic` "
                      "is within +-this percent of it, or max_repeats / max_seconds is reached; 0: exactly "
                      "`repeats` passes. latency_ci_percent reports what was reached")
          .at_least(0),
      ConfigKey::real("max_seconds", 1.0,
                      "Time spent timing one network (warm-up included) past which no more passes are added; "
                      "its `repeats` are always timed")
          .at_least(0),
      ConfigKey::integer("interleave", 64,
                         "Networks measured together when several come at once (a batch of candidates, a `lut "
                         "check` pass): visited round robin, 5 passes each per visit, so that a change of load "
                         "hits them alike; 1: one after another. Each keeps its built module meanwhile")
          .at_least(1),
      ConfigKey::choice("statistic", "median", {"median", "p10", "min"},
                        "What latency_ms (and latency_cpu_ms) report of the timed passes: \"median\" on a quiet "
                        "machine; \"p10\" (10th percentile) or \"min\" where other processes share the cores "
                        "(they only add time, so the low end repeats best)"),
      ConfigKey::choice("mode", "auto", {"auto", "optimized", "eager", "fastest"},
                        "\"optimized\": frozen TorchScript + optimize_for_inference (BN folded, oneDNN on CPU); "
                        "\"eager\": the plain module op by op; \"fastest\": time every inference-ready form "
                        "(frozen with and without optimize_for_inference, unfrozen TorchScript, eager with and "
                        "without BN folded) and report the fastest, naming it in latency_form; \"auto\": "
                        "\"fastest\" on CUDA, \"optimized\" on the CPU"),
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

MeasureModel::MeasureModel(const PluginContext& context) : MeasureModel(context, log_measure_warning) {}

MeasureModel::MeasureModel(const PluginContext& context, std::function<void(const std::string&)> warn)
    : instance_(context.instance), noise_(std::move(warn), libtorch::machine_load_report) {
  const PluginConfig& config = context.config;
  options_.device = config.get_string("device") == "cuda" ? libtorch::Device::Cuda : libtorch::Device::Cpu;
  const std::string& mode = config.get_string("mode");
  options_.mode = mode == "eager"       ? libtorch::ExecutionMode::Eager
                  : mode == "fastest"   ? libtorch::ExecutionMode::Fastest
                  : mode == "optimized" ? libtorch::ExecutionMode::Optimized
                  // auto: which form is fastest on a GPU depends on the device and the batch
                  // (docs/results.md); on the CPU the oneDNN form is the deployment's.
                  : options_.device == libtorch::Device::Cuda ? libtorch::ExecutionMode::Fastest
                                                              : libtorch::ExecutionMode::Optimized;
  options_.threads = static_cast<int>(config.get_int("threads"));
  options_.batch = static_cast<int>(config.get_int("batch"));
  options_.warmup = static_cast<int>(config.get_int("warmup"));
  options_.repeats = static_cast<int>(config.get_int("repeats"));
  options_.max_repeats = static_cast<int>(config.get_int("max_repeats"));
  options_.ci_target_percent = config.get_double("ci_target_percent");
  options_.max_seconds = config.get_double("max_seconds");
  options_.interleave = static_cast<int>(config.get_int("interleave"));
  options_.cuda_graph = config.get_bool("cuda_graph");
  options_.seed = static_cast<uint64_t>(config.get_int("seed"));
  for (const libtorch::Statistic s : {libtorch::Statistic::Median, libtorch::Statistic::P10, libtorch::Statistic::Min}) {
    if (config.get_string("statistic") == libtorch::to_string(s)) options_.statistic = s;
  }
  if (options_.max_repeats < options_.repeats)
    config.fail("max_repeats", std::to_string(options_.max_repeats) + " is below repeats = " +
                                   std::to_string(options_.repeats) +
                                   "; fix: set max_repeats >= repeats (repeats is the least number of timed passes)");
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
  std::vector<MetricInfo> m = {
      {"latency_ms", "ms", "Measured latency of one forward pass of `batch` samples (the `statistic` of the runs)"},
      {"latency_spread", "ratio", "(p90 - p10) / median of the timed runs: measurement noise, relative"},
      {"latency_cpu_ms", "ms",
       "CPU time of the process per forward pass (all threads, the `statistic` of the runs); steadier than "
       "latency_ms when other processes share the cores"},
      {"latency_ci_percent", "%",
       "Half-width of the 95% confidence interval of latency_ms reached, relative to it (order statistics; "
       "at most ci_target_percent unless max_repeats or max_seconds came first)"},
  };
  if (options_.mode == libtorch::ExecutionMode::Fastest)
    m.push_back({"latency_form", "code",
                 "The form timed, the fastest: 0 frozen+optimize_for_inference, 1 frozen, 2 unfrozen TorchScript, "
                 "3 eager, 4 eager with BN folded (run.json's `forms` condition)"});
  return m;
}

Metrics MeasureModel::evaluate(const NetworkSpec& network) { return measure_one(network, options_); }

Metrics MeasureModel::evaluate_layer(const NetworkSpec& isolated) { return measure_one(isolated, layer_options_); }

std::vector<BatchMeasurable::Outcome> MeasureModel::evaluate_batch(const std::vector<const NetworkSpec*>& networks,
                                                                   const std::function<void(std::size_t)>& done) {
  return measure(networks, options_, done);
}

std::string MeasureModel::layer_protocol() const {
  const int n = layer_options_.back_to_back;
  if (n == 1) return "one pass per timed sample";
  return std::to_string(n) + " passes back to back per timed sample" +
         (options_.device == libtorch::Device::Cuda && options_.cuda_graph ? " (one CUDA graph)" : "") +
         ", per-pass share";
}

Metrics MeasureModel::measure_one(const NetworkSpec& network, const libtorch::LatencyOptions& options) {
  Outcome outcome = measure({&network}, options, {}).front();
  if (!outcome.error.empty()) throw EvaluationError(outcome.error);
  return std::move(outcome.metrics);
}

std::vector<BatchMeasurable::Outcome> MeasureModel::measure(const std::vector<const NetworkSpec*>& networks,
                                                            const libtorch::LatencyOptions& options,
                                                            const std::function<void(std::size_t)>& done) {
  const std::vector<libtorch::Measurement> measured = libtorch::measure_interleaved(networks, options, done);
  std::vector<Outcome> out(measured.size());
  for (std::size_t i = 0; i < measured.size(); ++i) {
    const libtorch::Measurement& m = measured[i];
    if (!m.error.empty()) {
      // nasctl's own errors carry their fix; LibTorch's get one.
      out[i].error = "measure: network '" + networks[i]->name + "': " + m.error;
      if (m.error.find("; fix:") == std::string::npos)
        out[i].error += "; fix: check the space's lower() output with nasctl::check_network, or try mode = \"eager\"";
      continue;
    }
    noise_.consider("measure '" + instance_ + "'", m.stop, m.ci_percent, m.stats.samples_ms.size(), m.seconds,
                    options.ci_target_percent);
    out[i].metrics = {{"latency_ms", libtorch::latency_figure(m.stats, options.statistic)},
                      {"latency_spread", m.stats.relative_spread},
                      {"latency_cpu_ms", libtorch::latency_figure(m.stats, options.statistic, true)},
                      {"latency_ci_percent", m.ci_percent}};
    if (options.mode == libtorch::ExecutionMode::Fastest)
      out[i].metrics["latency_form"] = static_cast<double>(static_cast<int>(m.form));
  }
  return out;
}

Conditions MeasureModel::conditions() const {
  Conditions c = libtorch::measurement_conditions(options_);
  // The same for a table's build and its check (both read this instance).
  // Only when > 1: tables measured one pass per entry before the key
  // existed keep the conditions they were built under, and stay extendable.
  if (layer_options_.back_to_back > 1) c["layer_back_to_back"] = std::to_string(layer_options_.back_to_back);
  return c;
}

}  // namespace nasctl::hardware::measure
