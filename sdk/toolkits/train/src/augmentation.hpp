// Training-time augmentation of a batch of images: a random crop of the
// image padded by `padding` pixels on every side (the padding holds
// `pad_value`, a black pixel after normalisation, as torchvision's
// RandomCrop(padding) pads before normalising) and a random horizontal flip,
// the CIFAR/Fashion-MNIST recipe. Offsets and flips come from `rng`, drawn
// in image order, so a batch's augmentation depends only on the generator.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "nasctl/rng.hpp"

namespace nasctl::train::detail {

// images: float32 [n, C, H, W], contiguous, on the CPU. Returns a new tensor.
at::Tensor augment(const at::Tensor& images, int64_t padding, bool flip, float pad_value, Rng& rng);

}  // namespace nasctl::train::detail
