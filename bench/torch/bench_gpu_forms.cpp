// CUDA latency of the smallest and largest OFA MobileNetV3 sub-networks
// (224x224) at batch 1 and 64, as the measure plugin reports it in its
// default CUDA mode ("auto": every inference-ready form timed in a CUDA graph,
// the fastest kept), with each form's own figure as counters:
//   Plugin/<net>/b<batch>   manual time = the plugin's latency_ms (median of
//                           CUDA-event-timed graph replays); counters f0..f4
//                           = each form's median (latency.hpp's Form order),
//                           form = the kept one, ci = latency_ci_percent.
// The target is to be no slower than PyTorch's plain module replayed in a
// CUDA graph on the same networks: pytorch_graph_reference.py times that
// from the specs this program writes with `--write-specs DIR`, and
// compare_gpu.py puts the two side by side (run_gpu.sh runs all three).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "measure.hpp"
#include "nasctl/error.hpp"
#include "nasctl/torch/latency.hpp"
#include "ofa_mobilenetv3.hpp"

namespace {

using nasctl::NetworkSpec;

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
  arch[nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3::kRIndex] = 0;
  return space.lower(space.canonicalize(arch));
}

const NetworkSpec& network(const std::string& name) {
  static const std::map<std::string, NetworkSpec> nets{{"small", ofa_network(0)}, {"large", ofa_network(2)}};
  return nets.at(name);
}

void Plugin(benchmark::State& state, const std::string& net, int batch) {
  std::map<std::string, nasctl::PluginConfig::Entry> entries;
  for (const auto& key : nasctl::hardware::measure::MeasureModel::config_keys()) entries[key.name] = {key.default_value, "default"};
  entries["device"] = {std::string("cuda"), "bench"};
  entries["batch"] = {int64_t{batch}, "bench"};
  entries["warmup"] = {int64_t{20}, "bench"};
  entries["repeats"] = {int64_t{100}, "bench"};
  entries["ci_target_percent"] = {0.5, "bench"};
  entries["max_seconds"] = {10.0, "bench"};
  const nasctl::PluginConfig config("hardware[0]", ".", "", entries);
  nasctl::hardware::measure::MeasureModel model(nasctl::PluginContext{config, "gpu", 0});
  const NetworkSpec& spec = network(net);
  const nasctl::libtorch::LatencyOptions& options = model.options();
  nasctl::libtorch::Measurement last;
  for (auto _ : state) {
    last = nasctl::libtorch::measure_latency(spec, options);
    state.SetIterationTime(nasctl::libtorch::latency_figure(last.stats, options.statistic) / 1e3);
  }
  for (std::size_t f = 0; f < last.form_ms.size(); ++f) state.counters["f" + std::to_string(f)] = last.form_ms[f];
  state.counters["form"] = static_cast<double>(static_cast<int>(last.form));
  state.counters["ci"] = last.ci_percent;
  state.counters["runs"] = static_cast<double>(last.stats.samples_ms.size());
  state.SetLabel(nasctl::libtorch::to_string(last.form));
}

// Writes <dir>/<net>.json: the NetworkSpec, layer by layer, for the PyTorch
// reference to build the same network as a plain nn.Module.
const char* op_name(nasctl::OpKind op) {
  using nasctl::OpKind;
  switch (op) {
    case OpKind::Conv2d: return "conv2d";
    case OpKind::Linear: return "linear";
    case OpKind::SqueezeExcite: return "se";
    case OpKind::GlobalAvgPool: return "global_avg_pool";
    case OpKind::AvgPool2d: return "avg_pool";
    case OpKind::MaxPool2d: return "max_pool";
    case OpKind::Add: return "add";
    case OpKind::Concat: return "concat";
    case OpKind::ChannelSlice: return "slice";
    case OpKind::ChannelShuffle: return "shuffle";
    case OpKind::BatchNorm2d: return "batch_norm";
    case OpKind::Activation: return "activation";
  }
  return "?";
}

const char* activation_name(nasctl::ActivationKind a) {
  using nasctl::ActivationKind;
  switch (a) {
    case ActivationKind::None: return "none";
    case ActivationKind::ReLU: return "relu";
    case ActivationKind::ReLU6: return "relu6";
    case ActivationKind::HardSwish: return "hardswish";
    case ActivationKind::HardSigmoid: return "hardsigmoid";
    case ActivationKind::Sigmoid: return "sigmoid";
    case ActivationKind::GELU: return "gelu";
    case ActivationKind::Tanh: return "tanh";
  }
  return "none";
}

std::string shape(const nasctl::TensorShape& s) {
  return "[" + std::to_string(s.channels) + ", " + std::to_string(s.height) + ", " + std::to_string(s.width) + "]";
}

void write_spec(const std::string& path, const NetworkSpec& spec) {
  std::ofstream out(path);
  out << "{\"name\": \"" << spec.name << "\", \"input\": " << shape(spec.input) << ", \"layers\": [\n";
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const nasctl::Layer& l = spec.layers[i];
    std::string inputs;
    for (const int k : l.inputs) inputs += (inputs.empty() ? "" : ", ") + std::to_string(k);
    out << "  {\"op\": \"" << op_name(l.op) << "\", \"inputs\": [" << inputs << "], \"in\": " << shape(l.in)
        << ", \"out\": " << shape(l.out) << ", \"kernel\": " << l.kernel << ", \"stride\": " << l.stride
        << ", \"padding\": " << l.padding << ", \"groups\": " << l.groups << ", \"hidden\": " << l.hidden
        << ", \"bias\": " << (l.bias ? "true" : "false") << ", \"batch_norm\": " << (l.batch_norm ? "true" : "false")
        << ", \"activation\": \"" << activation_name(l.activation) << "\"}" << (i + 1 < spec.layers.size() ? ",\n" : "\n");
  }
  out << "]}\n";
  if (!out) throw nasctl::Error("--write-specs: cannot write " + path + "; fix: give a writable folder");
}

}  // namespace

BENCHMARK_CAPTURE(Plugin, small/b1, "small", 1)->UseManualTime()->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Plugin, large/b1, "large", 1)->UseManualTime()->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Plugin, small/b64, "small", 64)->UseManualTime()->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Plugin, large/b64, "large", 64)->UseManualTime()->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-specs") {
    for (const char* net : {"small", "large"}) write_spec(std::string(argv[2]) + "/" + net + ".json", network(net));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (nasctl::libtorch::cuda_device_count() == 0) {
    std::fprintf(stderr, "bench_torch_gpu: %s\n", nasctl::libtorch::cuda_unavailable_reason().c_str());
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
