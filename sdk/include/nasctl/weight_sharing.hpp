// WeightSharing: an optional face of a SearchSpace whose architectures are
// sub-networks of one weight-sharing super-network (Once-for-All, SPOS,
// HURRICANE). The space describes the super-network as plain data; the
// engine that holds the tensors and runs sub-networks (nasctl::supernet, in
// sdk/toolkits/supernet) stays ignorant of concrete spaces.
//
// The description has two parts:
// - shared_tensors(): every tensor the super-network holds, at its largest,
//   under the key checkpoints store it by;
// - bind(arch, lower(arch)): for every tensor of every layer of the
//   sub-network, which shared tensor it is cut from.
// Cutting follows one rule (OFA's): the layer's tensor takes the first
// entries of the shared tensor along every dimension (first output channels,
// first input channels, first features), except the two kernel dimensions
// of a convolution weight, which keep the centre; an elastic kernel may pass
// the centre through learned transformation matrices (KernelStep). A space
// whose operators own their weights (HURRICANE) binds each layer to a tensor
// of exactly its shape.
//
// A space implements it by deriving from both SearchSpace and WeightSharing;
// the engine reaches it with dynamic_cast from the SearchSpace a session
// loaded, as `nasctl lut build` reaches LayerEnumerable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl {

// What a shared tensor holds: how a fresh super-network initialises it, and
// which tensors batch-norm re-calibration and training treat as statistics.
enum class SharedTensorKind {
  ConvWeight,         // [out, in / groups, k, k]
  LinearWeight,       // [out, in]
  Bias,               // [out] of a convolution or linear layer
  BatchNormScale,     // gamma
  BatchNormShift,     // beta
  BatchNormMean,      // running mean (a statistic, not a parameter)
  BatchNormVariance,  // running variance (a statistic, not a parameter)
  KernelTransform,    // [k*k, k*k] matrix of an elastic kernel step
};

struct SharedTensor {
  std::string name;             // its checkpoint key, e.g. "blocks.3.conv.depth_conv.conv.conv.weight"
  std::vector<int64_t> shape;   // the largest any sub-network uses
  SharedTensorKind kind = SharedTensorKind::ConvWeight;
  // Other keys published checkpoints store the same tensor under (module
  // names of older releases of the code that trained them).
  std::vector<std::string> aliases;
};

// The tensors one layer of a NetworkSpec holds. Their text names are the
// ones a stand-alone network built from the spec registers them under
// ("l<layer>_<role>", nasctl::libtorch::EagerNetwork).
enum class TensorRole {
  Weight,             // Conv2d, Linear
  Bias,               // Conv2d, Linear with bias
  BatchNormScale,     // Conv2d with batch norm, BatchNorm2d
  BatchNormShift,
  BatchNormMean,
  BatchNormVariance,
  SqueezeWeight,      // SqueezeExcite: the reducing 1x1 convolution
  SqueezeBias,
  ExciteWeight,       // SqueezeExcite: the expanding 1x1 convolution
  ExciteBias,
};

// "weight", "bias", "bn_weight", "bn_bias", "bn_mean", "bn_var", "se_w1",
// "se_b1", "se_w2", "se_b2".
const char* to_string(TensorRole role);

struct LayerTensor {
  TensorRole role = TensorRole::Weight;
  std::vector<int64_t> shape;
};

// Every tensor `layer` holds, in a fixed order, with the shape the
// stand-alone network gives it (so its element counts add up to
// layer_params(layer) plus the batch-norm running statistics).
std::vector<LayerTensor> layer_tensors(const Layer& layer);

// One step of an elastic kernel (OFA's kernel transformation): the centre
// `kernel` x `kernel` of the filter so far, each channel's taps flattened
// into a row x, becomes x @ M^T with M = the shared tensor `matrix`
// ([kernel^2, kernel^2], kind KernelTransform).
struct KernelStep {
  int kernel = 0;
  std::string matrix;
};

// Where one tensor of one layer of the sub-network comes from.
struct TensorBinding {
  int layer = 0;                          // index into the NetworkSpec's layers
  TensorRole role = TensorRole::Weight;
  std::string source;                     // a SharedTensor's name
  // Empty: the kernel centre is cut directly (or the kernel is the source's
  // own). Otherwise the steps from the source's kernel size down to the
  // layer's, each smaller than the one before; the last one's kernel is the
  // layer's.
  std::vector<KernelStep> kernel_steps;
};

// One dimension of one shared tensor.
struct ChannelAxis {
  std::string tensor;  // a SharedTensor's name
  int64_t dim = 0;
};

// Channels that sub-networks keep a prefix of, and that may be put in any
// order without changing what the largest network computes, because every
// tensor dimension indexing them is listed and moves with them: e.g. the
// middle channels of an inverted-residual block (its expanding convolution's
// outputs and batch norm, the depthwise convolution and batch norm, the
// squeeze-excite's inputs and outputs, the projection's inputs). Once-for-All
// puts them in order of importance before it trains narrower sub-networks
// (nasctl::supernet channel_sorting.hpp).
struct ChannelGroup {
  std::string name;                     // for messages, e.g. "blocks.3.conv middle channels"
  std::vector<ChannelAxis> axes;        // every dimension indexing the channels, all of one length
  // A channel's importance: the sum over these of the L1 norm of the
  // tensor's slice at that channel (Once-for-All: the projection's input
  // channel). Usually some of `axes`.
  std::vector<ChannelAxis> importance;
};

class WeightSharing {
 public:
  virtual ~WeightSharing();  // defined in the SDK library: one type_info for dynamic_cast

  // One line naming the super-network as configured, for messages, e.g.
  // "ofa-mobilenetv3 super-network (width 1.0, 1000 classes)".
  virtual std::string supernet_name() const = 0;

  // Every tensor of the super-network, each name once. Deterministic order.
  virtual std::vector<SharedTensor> shared_tensors() const = 0;

  // For spec = lower(arch): every tensor of every layer (layer_tensors), each
  // exactly once. Throws ArchitectureError for an architecture the space
  // does not hold.
  virtual std::vector<TensorBinding> bind(const Architecture& arch, const NetworkSpec& spec) const = 0;

  // The groups of channels that may be sorted by importance (none by
  // default: a space whose operators own their weights, such as HURRICANE,
  // cuts no prefixes). Each group's tensors are shared_tensors(); a channel
  // in no group is never moved.
  virtual std::vector<ChannelGroup> channel_groups() const { return {}; }
};

}  // namespace nasctl
