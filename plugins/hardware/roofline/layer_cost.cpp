#include "layer_cost.hpp"

#include <algorithm>

namespace nasctl::hardware::roofline {

namespace {

double input_elements(const NetworkSpec& network, const Layer& layer) {
  // A channel slice reads only the channels it keeps.
  if (layer.op == OpKind::ChannelSlice) return static_cast<double>(layer.out.elements());
  double elements = 0.0;
  for (int input : layer.inputs)
    elements += static_cast<double>((input == kNetworkInput ? network.input : network.layers[input].out).elements());
  return elements;
}

// Element-wise operations of one sample.
double element_ops(const Layer& layer) {
  const double out = static_cast<double>(layer.out.elements());
  switch (layer.op) {
    case OpKind::Conv2d:
    case OpKind::Linear:
      return out * activation_ops(layer.activation);  // the fused epilogue; BN and bias fold away
    case OpKind::SqueezeExcite:
      // Pool every input element, ReLU the hidden vector, h-sigmoid the
      // channel vector, scale every element.
      return 2.0 * static_cast<double>(layer.in.elements()) +
             static_cast<double>(layer.hidden) * activation_ops(ActivationKind::ReLU) +
             static_cast<double>(layer.out.channels) * activation_ops(ActivationKind::HardSigmoid);
    case OpKind::GlobalAvgPool:
      return static_cast<double>(layer.in.elements());
    case OpKind::AvgPool2d:
    case OpKind::MaxPool2d:
      return out * layer.kernel * layer.kernel;
    case OpKind::Add:
      return out * static_cast<double>(std::max<std::size_t>(layer.inputs.size(), 2) - 1);
    case OpKind::BatchNorm2d:
      return out;  // one multiply-add per element
    case OpKind::Activation:
      return out * activation_ops(layer.activation);
    case OpKind::Concat:
    case OpKind::ChannelSlice:
    case OpKind::ChannelShuffle:
    case OpKind::TokenConcat:
    case OpKind::ToSequence:
    case OpKind::ClassToken:
    case OpKind::TokenSlice:
      return 0.0;  // data movement only: the memory term prices it
    case OpKind::Embedding:
      return layer.kernel == 0 ? 0.0 : 2.0 * out;  // scale and add the position (a plain lookup only gathers)
    case OpKind::PositionEmbedding:
      return out;  // one add per element
    case OpKind::LayerNorm:
      return 5.0 * out;  // mean, variance, normalise, gain, bias
    case OpKind::Attention:
      // Softmax over every score: max, exp, sum, divide.
      return 4.0 * static_cast<double>(layer.groups) * static_cast<double>(layer.out.height) *
             static_cast<double>(layer.hidden);
  }
  return 0.0;
}

}  // namespace

double activation_ops(ActivationKind act) {
  switch (act) {
    case ActivationKind::None: return 0;
    case ActivationKind::ReLU: return 1;
    case ActivationKind::ReLU6: return 2;
    case ActivationKind::HardSigmoid: return 4;
    case ActivationKind::HardSwish: return 5;
    case ActivationKind::Sigmoid: return 4;
    case ActivationKind::GELU: return 8;  // erf's polynomial, a multiply, an add, a halving
    case ActivationKind::Tanh: return 4;
  }
  return 0;
}

OpClass mac_class(const Layer& layer) {
  if (layer.op == OpKind::Linear || layer.op == OpKind::SqueezeExcite || layer.op == OpKind::Attention)
    return OpClass::Linear;  // matrix products
  if (layer.op != OpKind::Conv2d) return OpClass::Elementwise;
  const bool depthwise = layer.groups > 1 && layer.groups == layer.in.channels;
  return depthwise ? OpClass::DepthwiseConv : OpClass::DenseConv;
}

LayerWork layer_work(const NetworkSpec& network, const Layer& layer, int batch, double bytes_per_element) {
  LayerWork work;
  work.mac_class = mac_class(layer);
  work.macs = static_cast<double>(layer_macs(layer)) * batch;
  work.element_ops = element_ops(layer) * batch;
  const double activations = (input_elements(network, layer) + static_cast<double>(layer.out.elements())) * batch;
  const int64_t folded_bn = layer.op == OpKind::Conv2d && layer.batch_norm ? layer.out.channels : 0;
  const double weights = static_cast<double>(layer_params(layer) - folded_bn);
  work.bytes = (activations + weights) * bytes_per_element;
  return work;
}

LayerTime layer_time(const DeviceProfile& profile, const LayerWork& work) {
  LayerTime t;
  if (work.macs > 0) t.compute_s += work.macs / profile.rate(work.mac_class).sustained_per_s();
  if (work.element_ops > 0) t.compute_s += work.element_ops / profile.rate(OpClass::Elementwise).sustained_per_s();
  t.memory_s = work.bytes / profile.memory_bytes_per_s();
  t.total_s = std::max(t.compute_s, t.memory_s) + profile.layer_overhead_s;
  return t;
}

NetworkEstimate estimate_network(const DeviceProfile& profile, const NetworkSpec& network, int batch) {
  NetworkEstimate e;
  for (const Layer& layer : network.layers) {
    const LayerWork work = layer_work(network, layer, batch, profile.bytes_per_element);
    const LayerTime time = layer_time(profile, work);
    e.latency_s += time.total_s;
    e.macs += work.macs;
    e.element_ops += work.element_ops;
    e.bytes += work.bytes;
    if (time.memory_bound()) ++e.memory_bound_layers;
    const OpClass bucket = work.macs > 0 ? work.mac_class : OpClass::Elementwise;
    e.class_seconds[static_cast<int>(bucket)] += time.total_s;
  }
  const EnergyModel& energy = profile.energy;
  switch (energy.kind) {
    case EnergyModel::Kind::None:
      break;
    case EnergyModel::Kind::AveragePower:
      e.energy_j = energy.average_power_w * e.latency_s;
      break;
    case EnergyModel::Kind::PerOperation:
      e.energy_j = (e.macs * energy.pj_per_mac + e.element_ops * energy.pj_per_element + e.bytes * energy.pj_per_byte) *
                       1e-12 +
                   energy.static_power_w * e.latency_s;
      break;
  }
  return e;
}

}  // namespace nasctl::hardware::roofline
