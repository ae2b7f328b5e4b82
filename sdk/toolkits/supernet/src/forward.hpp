// The forward pass of a NetworkSpec over tensors handed in per layer: the
// ATen calls nasctl::libtorch::EagerNetwork makes, op for op, so a
// sub-network computes what its stand-alone network computes; only global
// average pooling sums in Once-for-All's order (forward.cpp says why). Batch
// norm is left to the caller (eval, train and re-calibration differ only
// there).
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <functional>
#include <vector>

#include "nasctl/network_spec.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::supernet::detail {

constexpr int kRoleCount = 10;
// A layer's tensors indexed by TensorRole; undefined where it has none.
using LayerTensors = std::array<at::Tensor, kRoleCount>;

inline const at::Tensor& tensor_of(const LayerTensors& t, TensorRole role) { return t[static_cast<int>(role)]; }

// Batch-normalises `x` with layer `layer`'s tensors.
using BatchNorm = std::function<at::Tensor(int layer, const at::Tensor& x, const LayerTensors& t)>;
using TensorsOf = std::function<LayerTensors(int layer)>;

// Batch-norm eps, as nn.BatchNorm2d's default and Once-for-All's bn_param.
constexpr double kBatchNormEps = 1e-5;
// Running-statistics momentum in training, as Once-for-All's bn_param.
constexpr double kBatchNormMomentum = 0.1;

// last[i]: the last layer reading layer i's output (-1: none).
std::vector<int> last_uses(const NetworkSpec& spec);

// Runs `spec` on `input` ([batch, C, H, W]); returns the last layer's output.
// Intermediate outputs are freed after their last use.
at::Tensor run_network(const NetworkSpec& spec, const std::vector<int>& last_use, const TensorsOf& tensors_of,
                       const BatchNorm& batch_norm, const at::Tensor& input);

}  // namespace nasctl::supernet::detail
