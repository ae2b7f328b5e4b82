// Folding an inference-mode batch norm into the convolution before it, the
// rewrite every deployment exporter and runtime applies (PyTorch's
// fuse_conv_bn_eval, TorchScript freezing, ONNX Runtime's Conv+BN fusion).
#pragma once

#include <ATen/core/Tensor.h>

#include "nasctl/torch/eager_network.hpp"

namespace nasctl::model_export {

struct FoldedConv {
  at::Tensor weight;  // [out, in / groups, k, k]
  at::Tensor bias;    // [out]
};

// BN(conv(x, W, b)) = conv(x, W * s, (b - mean) * s + beta) with
// s = gamma / sqrt(var + eps) per output channel (b = 0 without a bias).
// `t` holds a Conv2d layer's tensors with its batch norm.
FoldedConv fold_batch_norm(const libtorch::LayerTensors& t, double eps);

}  // namespace nasctl::model_export
