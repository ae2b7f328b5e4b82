// Hand-built NetworkSpecs covering every OpKind, small enough for fast tests.
#pragma once

#include "nasctl/network_spec.hpp"

namespace nasctl::test {

// MobileNetV3-like: stem conv + h-swish, an inverted bottleneck with
// depthwise 5x5, squeeze-excite and a residual add, a strided block with
// ReLU6, global pool, 1x1 head conv without BN, linear classifier.
inline NetworkSpec mobilenet_like(int64_t resolution = 32) {
  using A = ActivationKind;
  NetworkBuilder b("mobilenet-like", {3, resolution, resolution});
  b.conv(16, 3, 2, 1, true, A::HardSwish);
  const int block_in = b.current();
  b.conv(48, 1, 1, 1, true, A::ReLU);
  b.depthwise(5, 1, true, A::ReLU);
  b.squeeze_excite(16);
  const int projected = b.conv(16, 1, 1, 1, true, A::None);
  b.add(block_in, projected);
  b.conv(64, 1, 1, 1, true, A::ReLU6);
  b.depthwise(3, 2, true, A::ReLU6);
  b.conv(24, 1, 1, 1, true, A::None);
  b.conv(96, 1, 1, 1, true, A::HardSwish);
  b.global_avg_pool();
  b.conv(128, 1, 1, 1, false, A::HardSwish, /*bias=*/true);
  b.linear(10, true);
  return std::move(b).finish();
}

// ShuffleNetV2-like: max-pooled stem, a unit that splits the channels
// (two slices), transforms one half, concatenates and shuffles; then an
// avg pool with padding, stand-alone BN and activations, a linear head on a
// spatial (not pooled) tensor.
inline NetworkSpec shufflenet_like(int64_t resolution = 32) {
  using A = ActivationKind;
  NetworkBuilder b("shufflenet-like", {3, resolution, resolution});
  b.conv(32, 3, 2, 1, true, A::ReLU);
  const int stem = b.max_pool(3, 2, 1);
  const int left = b.channel_slice(0, 16);
  b.set_current(stem);
  b.channel_slice(16, 16);
  b.conv(16, 1, 1, 1, true, A::ReLU);
  b.depthwise(3, 1, true, A::None);
  const int right = b.conv(16, 1, 1, 1, true, A::ReLU);
  b.concat({left, right});
  b.channel_shuffle(2);
  b.avg_pool(3, 1, 1);
  b.batch_norm();
  b.activation(A::Sigmoid);
  b.avg_pool(2, 2, 0);
  b.activation(A::HardSigmoid);
  b.linear(10, false, A::ReLU);
  return std::move(b).finish();
}

// Grouped (not depthwise) convolutions with bias and no BN, three-way
// concatenation.
inline NetworkSpec grouped_net(int64_t resolution = 16) {
  using A = ActivationKind;
  NetworkBuilder b("grouped", {8, resolution, resolution});
  const int a = b.conv(16, 3, 1, 2, false, A::ReLU, /*bias=*/true);
  const int c = b.conv(16, 5, 1, 4, true, A::None, /*bias=*/true);
  b.set_current(kNetworkInput);
  const int d = b.conv(8, 1, 1, 1, false, A::None);
  b.concat({a, c, d});
  b.channel_shuffle(4);
  b.global_avg_pool();
  b.linear(5, true, A::HardSwish);
  return std::move(b).finish();
}

// OFA-like channel counts (72, 120) that are not multiples of oneDNN's
// channel block (16 with AVX-512, 8 with AVX2), with h-swish and an SE on them.
inline NetworkSpec odd_channels(int64_t resolution = 16) {
  using A = ActivationKind;
  NetworkBuilder b("odd-channels", {3, resolution, resolution});
  b.conv(24, 3, 1, 1, true, A::HardSwish);
  b.conv(72, 1, 1, 1, true, A::HardSwish);
  b.depthwise(3, 2, true, A::HardSwish);
  b.squeeze_excite(24);
  b.conv(40, 1, 1, 1, true, A::None);
  b.conv(120, 1, 1, 1, true, A::HardSwish);
  b.activation(A::HardSigmoid);
  b.global_avg_pool();
  b.linear(10, true);
  return std::move(b).finish();
}

// Ceil-mode pools on odd maps (OFA ResNet's downsample pool): a 2x2 average
// pool 9 -> 5 and a padded 3x3 max pool 5 -> 3, each keeping the partial
// last window floor mode would drop.
inline NetworkSpec ceil_pools(int64_t resolution = 9) {
  using A = ActivationKind;
  NetworkBuilder b("ceil-pools", {4, resolution, resolution});
  b.conv(6, 3, 1, 1, true, A::ReLU);
  b.avg_pool(2, 2, 0, /*ceil_mode=*/true);
  b.conv(6, 3, 1, 1, true, A::ReLU);
  b.max_pool(3, 2, 1, /*ceil_mode=*/true);
  b.linear(5, true);
  return std::move(b).finish();
}

}  // namespace nasctl::test
