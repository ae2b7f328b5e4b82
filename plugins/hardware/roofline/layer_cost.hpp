// The roofline arithmetic, free of any plugin machinery so tests can check
// it on hand-computed layers.
//
// Per layer (a NetworkSpec layer is one deployment kernel: a convolution
// with its folded batch norm and fused activation):
//   compute = MACs / sustained rate of its MAC class
//           + element ops / sustained element-wise rate
//   memory  = bytes moved / sustained memory bandwidth
//   time    = max(compute, memory) + per-layer overhead
// and a network takes the sum, since batch-size-small inference runs its
// layers one after another.
#pragma once

#include <array>

#include "device_profile.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl::hardware::roofline {

struct LayerWork {
  OpClass mac_class = OpClass::DenseConv;  // where its MACs run (when macs > 0)
  double macs = 0.0;         // multiply-accumulates, whole batch
  double element_ops = 0.0;  // element-wise arithmetic operations, whole batch
  double bytes = 0.0;        // inputs read + output written (whole batch) + weights read once
};

// Element-wise operations per element an activation costs, counted from its
// definition: ReLU max(x,0) = 1; ReLU6 = 2 (max, min); h-sigmoid
// relu6(x+3)/6 = 4; h-swish x*h-sigmoid(x) = 5; sigmoid 1/(1+exp(-x)) = 4
// (negate, exp, add, divide).
double activation_ops(ActivationKind act);

// Which MAC class a layer's MACs belong to: depthwise convolutions (groups =
// input channels > 1) to depthwise_conv; other convolutions, grouped ones
// included, to dense_conv; Linear and squeeze-excite's two 1x1 convolutions
// on a pooled vector (matrix-vector products at batch 1) to linear.
OpClass mac_class(const Layer& layer);

// The work of one layer of `network` at `batch` samples. Weights count once
// per forward pass (they are shared by the batch); a batch norm folded into
// its convolution leaves one bias per channel of its two parameters.
LayerWork layer_work(const NetworkSpec& network, const Layer& layer, int batch, double bytes_per_element);

struct LayerTime {
  double compute_s = 0.0;
  double memory_s = 0.0;
  double total_s = 0.0;  // max(compute, memory) + overhead

  bool memory_bound() const { return memory_s > compute_s; }
};

LayerTime layer_time(const DeviceProfile& profile, const LayerWork& work);

struct NetworkEstimate {
  double latency_s = 0.0;
  double energy_j = 0.0;  // 0 when the profile has no energy model
  double macs = 0.0;
  double element_ops = 0.0;
  double bytes = 0.0;
  int memory_bound_layers = 0;
  std::array<double, kOpClasses> class_seconds{};  // time of layers by the class of their MACs
};

// Latency (and energy, when the profile has an energy model) of one forward
// pass of `batch` samples.
NetworkEstimate estimate_network(const DeviceProfile& profile, const NetworkSpec& network, int batch);

}  // namespace nasctl::hardware::roofline
