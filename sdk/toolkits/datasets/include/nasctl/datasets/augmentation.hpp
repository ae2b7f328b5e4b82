// What a training read of an image folder does to each image besides
// Once-for-All's random resized crop and flip (training_transform.hpp):
// the colour jitter, and the seed every image's draws come from. Plain
// data, no LibTorch.
#pragma once

#include <cstdint>
#include <vector>

namespace nasctl::datasets {

// Once-for-All's `distort_color` (its ImageNet data provider):
//   None  no colour jitter (OFA's default);
//   Tf    torchvision's ColorJitter(brightness = 32/255, saturation = 0.5),
//         OFA's "tf": a brightness factor uniform in [1 - 32/255, 1 + 32/255]
//         and a saturation factor uniform in [0.5, 1.5], applied in a random
//         order (torchvision draws a permutation of its four adjustments).
// OFA's "torch" (brightness, contrast and saturation 0.4, hue 0.1) is not
// offered: its hue shift goes through PIL's 8-bit HSV conversion.
enum class ColorJitter { None, Tf };

struct AugmentOptions {
  // Each image's draws come from this and its position in the read alone.
  std::uint64_t seed = 0;
  ColorJitter color_jitter = ColorJitter::None;
  // Elastic resolution (Once-for-All's MyRandomResizedCrop): non-empty,
  // batch b is cut and resized to batch_resolutions[b] x batch_resolutions[b]
  // instead of the read's resolution; one entry per batch of the read. The
  // draws of an image do not depend on its size, only its pixels do.
  std::vector<int> batch_resolutions;
};

}  // namespace nasctl::datasets
