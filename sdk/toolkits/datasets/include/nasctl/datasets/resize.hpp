// Image batches at another size, for datasets whose images have one size
// (Fashion-MNIST's 28 x 28) under elastic resolution: bilinear, antialiased
// when shrinking (torchvision's Resize on tensors with antialias=True, which
// Once-for-All's elastic resolution amounts to for images of one size).
// Fashion-MNIST serves other resolutions through it and the trainer resizes
// its augmented batches through it, so training and evaluation see one
// resampling.
#pragma once

#include <ATen/core/Tensor.h>

namespace nasctl::datasets {

// `images` ([N, C, H, W], float) at side x side; the tensor itself when it
// has that size already.
at::Tensor resize_images(const at::Tensor& images, int side);

}  // namespace nasctl::datasets
