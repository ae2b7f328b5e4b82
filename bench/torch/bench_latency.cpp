// Latency of the smallest and largest OFA MobileNetV3 sub-networks (224x224,
// batch 1, one thread) three ways:
//   Plugin/<net>/<mode>  the measure plugin's reported median (manual time:
//                        each iteration is one full plugin measurement of
//                        10 warm-up + 30 timed runs)
//   DirectFrozen/<net>   the same module frozen + optimize_for_inference by
//                        hand, timed by Google Benchmark itself
//   DirectEager/<net>    the eager module timed by Google Benchmark
// The plugin's optimized figure should match DirectFrozen, its eager figure
// DirectEager: the plugin adds nothing to what it times. On a machine whose
// cores other processes share, compare the plugin's cpu_ms counter (median
// process CPU time per pass) with the Direct* rows' CPU column: both leave
// out the time the process waited for a core.
#include <benchmark/benchmark.h>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/jit/api/module.h>

#include <map>
#include <string>

#include "measure.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/latency.hpp"
#include "nasctl/torch/resize_warning_filter.hpp"
#include "nasctl/torch/script_network.hpp"
#include "ofa_mobilenetv3.hpp"

namespace {

using nasctl::NetworkSpec;

// The OFA space with its defaults (width 1.0, resolution 224, 1000 classes).
const nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3& ofa_space() {
  static const nasctl::PluginConfig config = [] {
    std::map<std::string, nasctl::PluginConfig::Entry> entries;
    for (const auto& key : nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys()) entries[key.name] = {key.default_value, "default"};
    return nasctl::PluginConfig("space", ".", "", entries);
  }();
  static const nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3 space(nasctl::PluginContext{config, "space", 0});
  return space;
}

// choice = 0: kernel 3, expand 3, depth 2 everywhere (smallest);
// choice = 2: kernel 7, expand 6, depth 4 (largest). Resolution 224.
NetworkSpec ofa_network(int choice) {
  const auto& space = ofa_space();
  nasctl::Architecture arch(space.variables().size(), choice);
  arch[nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3::kRIndex] = 0;  // the only resolution: 224
  return space.lower(space.canonicalize(arch));
}

const NetworkSpec& network(const std::string& name) {
  static const std::map<std::string, NetworkSpec> nets{{"small", ofa_network(0)}, {"large", ofa_network(2)}};
  return nets.at(name);
}

void report_network(benchmark::State& state, const NetworkSpec& spec) {
  const nasctl::NetworkCost cost = nasctl::count_cost(spec);
  state.counters["MMAC"] = static_cast<double>(cost.macs) / 1e6;
  state.counters["Mparams"] = static_cast<double>(cost.params) / 1e6;
}

void Plugin(benchmark::State& state, const std::string& net, const std::string& mode) {
  std::map<std::string, nasctl::PluginConfig::Entry> entries;
  for (const auto& key : nasctl::hardware::measure::MeasureModel::config_keys()) entries[key.name] = {key.default_value, "default"};
  entries["mode"] = {std::string(mode), "bench"};
  const nasctl::PluginConfig config("hardware[0]", ".", "", entries);
  nasctl::hardware::measure::MeasureModel model(nasctl::PluginContext{config, "cpu", 0});
  const NetworkSpec& spec = network(net);
  double spread = 0, cpu_ms = 0;
  for (auto _ : state) {
    const nasctl::Metrics m = model.evaluate(spec);
    state.SetIterationTime(m.at("latency_ms") / 1e3);
    spread = m.at("latency_spread");
    cpu_ms = m.at("latency_cpu_ms");
  }
  report_network(state, spec);
  state.counters["spread"] = spread;
  state.counters["cpu_ms"] = cpu_ms;
  state.SetLabel(nasctl::libtorch::blas_in_use().substr(0, 40));
}

void DirectFrozen(benchmark::State& state, const std::string& net) {
  nasctl::libtorch::set_threads(1);
  const NetworkSpec& spec = network(net);
  nasctl::libtorch::EagerNetwork eager(spec, 0);
  torch::jit::Module frozen = torch::jit::freeze(nasctl::libtorch::to_script(eager));
  torch::jit::Module module = torch::jit::optimize_for_inference(frozen);
  c10::InferenceMode guard;
  nasctl::libtorch::ScopedResizeWarningFilter quiet;  // as the plugin does (LibTorch 1.13)
  const at::Tensor x = nasctl::libtorch::random_input(spec, 1, 1);
  for (int i = 0; i < 10; ++i) module.forward({x});
  for (auto _ : state) benchmark::DoNotOptimize(module.forward({x}));
  report_network(state, spec);
}

void DirectEager(benchmark::State& state, const std::string& net) {
  nasctl::libtorch::set_threads(1);
  const NetworkSpec& spec = network(net);
  nasctl::libtorch::EagerNetwork eager(spec, 0);
  c10::InferenceMode guard;
  const at::Tensor x = nasctl::libtorch::random_input(spec, 1, 1);
  for (int i = 0; i < 10; ++i) eager.forward(x);
  for (auto _ : state) benchmark::DoNotOptimize(eager.forward(x));
  report_network(state, spec);
}

}  // namespace

BENCHMARK_CAPTURE(Plugin, small/optimized, "small", "optimized")->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Plugin, large/optimized, "large", "optimized")->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Plugin, small/eager, "small", "eager")->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Plugin, large/eager, "large", "eager")->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(DirectFrozen, small, "small")->UseRealTime()->MinTime(1.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(DirectFrozen, large, "large")->UseRealTime()->MinTime(1.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(DirectEager, small, "small")->UseRealTime()->MinTime(1.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(DirectEager, large, "large")->UseRealTime()->MinTime(1.0)->Unit(benchmark::kMillisecond);
