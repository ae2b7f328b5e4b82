// MobileNetV3-Large and -Small (Howard et al., "Searching for MobileNetV3",
// ICCV 2019, Tables 1 and 2) and their "minimalistic" variants (3x3 kernels,
// ReLU, no squeeze-excite) as NetworkSpecs, at 224x224 and 1000 classes.
// Their published Pixel 3 latencies (tensorflow/models,
// research/slim/nets/mobilenet/README.md) calibrate and check the
// snapdragon-845-cpu profile.
#pragma once

#include <algorithm>
#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl::test {

struct Bneck {
  int kernel;
  int64_t expand;  // channels of the expanded (depthwise) tensor
  int64_t out;
  bool se;
  bool hswish;
  int stride;
};

inline int64_t mbv3_divisible(double v) {
  int64_t n = std::max<int64_t>(8, static_cast<int64_t>(v + 4) / 8 * 8);
  if (n < 0.9 * v) n += 8;
  return n;
}

inline NetworkSpec mobilenet_v3(bool large, bool minimalistic) {
  using A = ActivationKind;
  // Table 1 (Large) and Table 2 (Small): kernel, exp size, #out, SE, NL, stride.
  const std::vector<Bneck> large_blocks{
      {3, 16, 16, false, false, 1},  {3, 64, 24, false, false, 2},  {3, 72, 24, false, false, 1},
      {5, 72, 40, true, false, 2},   {5, 120, 40, true, false, 1},  {5, 120, 40, true, false, 1},
      {3, 240, 80, false, true, 2},  {3, 200, 80, false, true, 1},  {3, 184, 80, false, true, 1},
      {3, 184, 80, false, true, 1},  {3, 480, 112, true, true, 1},  {3, 672, 112, true, true, 1},
      {5, 672, 160, true, true, 2},  {5, 960, 160, true, true, 1},  {5, 960, 160, true, true, 1}};
  const std::vector<Bneck> small_blocks{
      {3, 16, 16, true, false, 2},  {3, 72, 24, false, false, 2}, {3, 88, 24, false, false, 1},
      {5, 96, 40, true, true, 2},   {5, 240, 40, true, true, 1},  {5, 240, 40, true, true, 1},
      {5, 120, 48, true, true, 1},  {5, 144, 48, true, true, 1},  {5, 288, 96, true, true, 2},
      {5, 576, 96, true, true, 1},  {5, 576, 96, true, true, 1}};
  const A hs = minimalistic ? A::ReLU : A::HardSwish;
  NetworkBuilder b(large ? "mobilenet_v3_large" : "mobilenet_v3_small", {3, 224, 224});
  b.conv(16, 3, 2, 1, true, hs);
  for (const Bneck& blk : large ? large_blocks : small_blocks) {
    const int block_in = b.current();
    const int64_t in = b.current_shape().channels;
    const A act = blk.hswish ? hs : A::ReLU;
    if (blk.expand != in) b.conv(blk.expand, 1, 1, 1, true, act);
    b.depthwise(minimalistic ? 3 : blk.kernel, blk.stride, true, act);
    if (blk.se && !minimalistic) b.squeeze_excite(mbv3_divisible(blk.expand / 4.0));
    const int projected = b.conv(blk.out, 1, 1, 1, true, A::None);
    if (blk.stride == 1 && in == blk.out) b.add(block_in, projected);
  }
  b.conv(large ? 960 : 576, 1, 1, 1, true, hs);
  b.global_avg_pool();
  b.conv(large ? 1280 : 1024, 1, 1, 1, false, hs, /*bias=*/true);
  b.linear(1000, true);
  return std::move(b).finish();
}

}  // namespace nasctl::test
