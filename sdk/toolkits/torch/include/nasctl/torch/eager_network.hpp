// NetworkSpec -> eager torch::nn::Module.
//
// Each spec layer owns its tensors, registered on this one module under
// "l<index>_<role>" (l3_weight, l3_bn_mean, l7_se_w1, ...). The forward pass
// calls the same ATen functions nn::Conv2d, nn::BatchNorm2d, ... call, so it
// is the eager network op for op; the flat naming lets the TorchScript
// builder (script_network.hpp) register the very same tensors.
//
// Namespace nasctl::libtorch, not nasctl::torch: inside namespace nasctl a
// nested `torch` would shadow LibTorch's ::torch for every unqualified use.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/nn/module.h>

#include "nasctl/network_spec.hpp"

namespace nasctl::libtorch {

// Tensors of one layer; undefined where the layer has none.
struct LayerTensors {
  at::Tensor weight, bias;                          // Conv2d, Linear
  at::Tensor bn_weight, bn_bias, bn_mean, bn_var;   // Conv2d with BN, BatchNorm2d
  at::Tensor se_w1, se_b1, se_w2, se_b2;            // SqueezeExcite
  at::Tensor extra;  // Embedding: sinusoidal positions [T, F]; causal Attention: additive mask [Tq, Tk]
};

// Sequence tensors ({F, T, 1} in NetworkSpec) are held token-major,
// [batch, T, F], the layout torch.nn.Linear / LayerNorm act on, so a
// Transformer runs without a transpose per layer. A layer's inputs are
// converted where a producer and its consumer disagree (a ViT patch
// convolution feeding tokens, say). Token ids (the input of an Embedding)
// are [batch, 1, N, 1] floats holding integers below the vocabulary.
// Whether layer `index` of `spec` produces a token-major tensor.
std::vector<bool> token_major_layers(const NetworkSpec& spec);
// fairseq's sinusoidal positions of `tokens` positions (from 2, after its
// padding index) and `features` features: sin of the first half, cos of
// the second.
at::Tensor sinusoidal_positions(int64_t tokens, int64_t features);

class EagerNetwork : public torch::nn::Module {
 public:
  // Checks the spec (nasctl::check_network) and initialises every tensor
  // from `seed` on the CPU: Kaiming-normal weights, small biases, batch-norm
  // affine and running statistics drawn around (1, 0) so folding BN is not a
  // no-op. Same spec + same seed -> bit-identical tensors. The module is in
  // eval mode (BN uses running statistics).
  EagerNetwork(NetworkSpec spec, uint64_t seed);

  // input: [batch, C, H, W] matching spec().input; returns the last layer's
  // output ([batch, C, H, W], [batch, features] after a flattening Linear,
  // [batch, T, F] after a sequence layer).
  at::Tensor forward(const at::Tensor& input);

  // Folds every convolution's batch norm into its weight and bias, as a
  // deployment exporter does: W * s and (b - mean) * s + beta with
  // s = gamma / sqrt(var + eps). The function computed stays the same (up to
  // rounding); spec() then shows those layers with a bias and no batch norm.
  void fold_batch_norms();

  const NetworkSpec& spec() const { return spec_; }
  const LayerTensors& layer_tensors(int layer) const { return tensors_.at(layer); }

  // Batch-norm eps, as nn::BatchNorm2d's default.
  static constexpr double kBatchNormEps = 1e-5;
  // Layer-norm eps, as nn::LayerNorm's default (and fairseq's).
  static constexpr double kLayerNormEps = 1e-5;

 private:
  void init_layer(int index, at::Generator& gen);
  at::Tensor run_layer(int index, const std::vector<at::Tensor>& values, const at::Tensor& input) const;

  NetworkSpec spec_;
  std::vector<LayerTensors> tensors_;
  // last_use_[i]: index of the last layer reading layer i's output.
  std::vector<int> last_use_;
  std::vector<bool> token_major_;
};

// Multiplies out the element counts of parameters (not buffers): the number
// nasctl::count_cost(spec).params must equal.
int64_t parameter_count(const torch::nn::Module& module);

// A [batch, C, H, W] float input for `spec`, standard normal, from `seed`;
// token ids uniform below the smallest vocabulary when an Embedding reads
// the input.
at::Tensor random_input(const NetworkSpec& spec, int64_t batch, uint64_t seed);

}  // namespace nasctl::libtorch
