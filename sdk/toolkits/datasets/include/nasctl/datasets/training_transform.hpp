// Once-for-All's ImageNet training transform (the once-for-all repository's
// build_train_transform with its default distort_color = None), computed as
// torchvision computes it on a PIL image:
//   RandomResizedCrop(r, scale=(0.08, 1), ratio=(3/4, 4/3))  a box drawn as
//                        RandomResizedCrop.get_params draws it, cut out and
//                        resized to r x r with PIL's BILINEAR (Pillow's
//                        Resample.c, as the evaluation transform)
//   RandomHorizontalFlip  with probability 0.5
//   ColorJitter           with distort_color = "tf" only (augmentation.hpp):
//                        brightness and saturation as PIL's ImageEnhance
//                        computes them on the 8-bit image
//   ToTensor, Normalize   ImageNet's mean/std, float32
// The random draws come from nasctl's portable engine (nasctl/rng.hpp), so
// an image's crop, flip and jitter depend on its seed only, on every machine.
#pragma once

#include "nasctl/datasets/augmentation.hpp"
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

// One image's colour jitter: the factors and which adjustment comes first.
struct ColorJitterDraw {
  bool brightness_first = true;
  float brightness = 1.0f;  // 1: unchanged
  float saturation = 1.0f;  // 1: unchanged
};

// The draws of ColorJitter::Tf, in this order: the order (brightness first
// with probability 1/2, as a uniform permutation of torchvision's four
// adjustments puts it), the brightness factor uniform in
// [1 - 32/255, 1 + 32/255], the saturation factor uniform in [0.5, 1.5].
// ColorJitter::None draws nothing and returns factors of 1.
ColorJitterDraw draw_color_jitter(ColorJitter jitter, Rng& rng);

// torchvision's adjust_brightness on a PIL image (ImageEnhance.Brightness):
// Image.blend of a black image and `image` with alpha = factor, i.e. each
// 8-bit level v becomes v * factor computed in float, clamped to [0, 255]
// and truncated.
void adjust_brightness(RgbImage& image, float factor);
// torchvision's adjust_saturation on a PIL image (ImageEnhance.Color):
// Image.blend of the greyscale image (PIL's convert("L"): (19595 R + 38470 G
// + 7471 B + 32768) >> 16, as three equal channels) and `image` with alpha =
// factor: g + factor * (v - g) in float, clamped to [0, 255], truncated.
void adjust_saturation(RgbImage& image, float factor);
// Both, in the drawn order.
void apply_color_jitter(RgbImage& image, const ColorJitterDraw& draw);

// The whole transform: draws the box, then the flip, then the colour
// jitter from `rng`, and writes 3 planes (R, G, B) of resolution x
// resolution float32 values to `out` (CHW, as one image of an NCHW batch).
void apply_training_transform(const RgbImage& image, int resolution, Rng& rng, float* out,
                              ColorJitter jitter = ColorJitter::None);

}  // namespace nasctl::datasets
