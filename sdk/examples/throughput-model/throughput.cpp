// throughput: latency of a network on a device described by a few measured
// numbers (a roofline model). Each layer takes as long as the slower of doing
// its arithmetic and moving its bytes, plus a fixed per-layer cost; the
// network takes the sum, because batch-1 inference runs layers one by one.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <nasctl/export.hpp>

namespace {

using namespace nasctl;

class ThroughputModel : public HardwareModel {
 public:
  // Core has checked every declared key (types, bounds) before this runs.
  explicit ThroughputModel(const PluginContext& ctx)
      : dense_(ctx.config.get_double("dense_gmacs") * 1e9),
        depthwise_(ctx.config.get_double("depthwise_gmacs") * 1e9),
        linear_(ctx.config.get_double("linear_gmacs") * 1e9),
        bandwidth_(ctx.config.get_double("memory_gbps") * 1e9),
        bytes_per_element_(static_cast<double>(ctx.config.get_int("bytes_per_element"))),
        overhead_s_(ctx.config.get_double("overhead_us") * 1e-6) {}

  std::vector<MetricInfo> metrics() const override {
    return {{"latency_ms", "ms", "Sum over layers of max(compute, memory) time + per-layer overhead, batch 1"}};
  }

  Metrics evaluate(const NetworkSpec& net) override {
    double seconds = 0;
    for (const Layer& layer : net.layers) {
      const double compute = static_cast<double>(layer_macs(layer)) / rate(layer);
      const double memory = bytes(net, layer) / bandwidth_;
      seconds += std::max(compute, memory) + overhead_s_;
    }
    return {{"latency_ms", seconds * 1e3}};
  }

 private:
  // Why three rates: a depthwise convolution does only k*k MACs per value it
  // loads, so it runs far below the dense rate on CPUs, DSPs and NPUs alike;
  // at batch 1 linear layers (and squeeze-excite's two 1x1 convolutions on a
  // pooled vector) are matrix-vector products that use each weight once.
  double rate(const Layer& layer) const {
    if (layer.op == OpKind::Linear || layer.op == OpKind::SqueezeExcite) return linear_;
    const bool depthwise = layer.op == OpKind::Conv2d && layer.groups > 1 && layer.groups == layer.in.channels;
    return depthwise ? depthwise_ : dense_;  // layers without MACs take no compute time either way
  }

  // Bytes moved at least once: inputs, output and weights. A batch norm is
  // folded into its convolution, leaving one bias per channel (of its two).
  double bytes(const NetworkSpec& net, const Layer& layer) const {
    int64_t elements = layer.out.elements() + layer_params(layer) - (layer.batch_norm ? layer.out.channels : 0);
    for (int input : layer.inputs)
      elements += (input == kNetworkInput ? net.input : net.layers[input].out).elements();
    return static_cast<double>(elements) * bytes_per_element_;
  }

  double dense_, depthwise_, linear_, bandwidth_, bytes_per_element_, overhead_s_;
};

// A throughput or bandwidth key: a positive number whose default only
// illustrates (one x86 server core, fp32 through oneDNN, fitted to latencies
// nasctl's `measure` plugin took there). A device needs its own numbers.
ConfigKey rate_key(std::string name, double illustrative, const std::string& doc) {
  return ConfigKey::real(std::move(name), illustrative, doc + " (illustrative default)").at_least(0.001);
}

// Readable without constructing anything: `nasctl plugins show throughput`.
PluginInfo describe() {
  return {"throughput", "1.0.0", "Roofline latency from per-op-class throughput, memory bandwidth and overhead",
          {rate_key("dense_gmacs", 40, "Sustained GMAC/s of dense convolutions"),
           rate_key("depthwise_gmacs", 30, "Sustained GMAC/s of depthwise convolutions"),
           rate_key("linear_gmacs", 10, "Sustained GMAC/s of linear and squeeze-excite layers"),
           rate_key("memory_gbps", 10, "Sustained memory bandwidth in GB/s"),
           ConfigKey::integer("bytes_per_element", 4, "Bytes per weight and activation: 4 fp32, 2 fp16, 1 int8")
               .at_least(1).at_most(8),
           ConfigKey::real("overhead_us", 5, "Fixed cost per layer in microseconds (illustrative default)")
               .at_least(0)}};
}

}  // namespace

NASCTL_EXPORT_HARDWARE(ThroughputModel, describe)
