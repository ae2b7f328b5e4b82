// Once-for-All's ImageNet training transform (the once-for-all repository's
// build_train_transform with its default distort_color = None), computed as
// torchvision computes it on a PIL image:
//   RandomResizedCrop(r, scale=(0.08, 1), ratio=(3/4, 4/3))  a box drawn as
//                        RandomResizedCrop.get_params draws it, cut out and
//                        resized to r x r with PIL's BILINEAR (Pillow's
//                        Resample.c, as the evaluation transform)
//   RandomHorizontalFlip  with probability 0.5
//   ToTensor, Normalize   ImageNet's mean/std, float32
// The random draws come from nasctl's portable engine (nasctl/rng.hpp), so
// an image's crop and flip depend on its seed only, on every machine. The
// colour jitter OFA adds with distort_color = "tf" is not applied.
#pragma once

#include "nasctl/datasets/rgb_image.hpp"
#include "nasctl/rng.hpp"

namespace nasctl::datasets {

struct CropBox {
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
};

// torchvision's RandomResizedCrop.get_params on a width x height image: up
// to 10 tries of an area fraction uniform in [0.08, 1] and an aspect ratio
// log-uniform in [3/4, 4/3], sides rounded half to even; the first box that
// fits is placed uniformly; if none fits, the centre crop with the image's
// aspect ratio clamped to [3/4, 4/3]. Needs a non-empty image.
CropBox random_resized_crop_box(int width, int height, Rng& rng);

// The whole transform: draws the box, then the flip, from `rng`, and writes
// 3 planes (R, G, B) of resolution x resolution float32 values to `out`
// (CHW, as one image of an NCHW batch).
void apply_training_transform(const RgbImage& image, int resolution, Rng& rng, float* out);

}  // namespace nasctl::datasets
