// OFA's ImageNet evaluation transform, computed as torchvision computes it
// on a PIL image (the once-for-all repository's build_valid_transform):
//   Resize(ceil(r / 0.875))  short side to s = ceil(r / 0.875), long side to
//                            floor(s * long / short); PIL's BILINEAR resampling
//                            (a triangle filter widened by the scale factor
//                            when shrinking, i.e. antialiased), two 8-bit
//                            passes, horizontal first, as Pillow's Resample.c
//   CenterCrop(r)            offsets round((size - r) / 2), Python's round:
//                            halves go to the even neighbour
//   ToTensor()               v / 255 in float32
//   Normalize(mean, std)     (x - mean) / std in float32, ImageNet's mean/std
// Only the output pixels inside the crop are computed (each is independent
// of the others), which gives the same values as resizing whole and cropping.
#pragma once

#include <array>

#include "nasctl/datasets/rgb_image.hpp"

namespace nasctl::datasets {

inline constexpr std::array<float, 3> kImageNetMean{0.485f, 0.456f, 0.406f};
inline constexpr std::array<float, 3> kImageNetStd{0.229f, 0.224f, 0.225f};

// Where the transform resizes and crops an image of width x height.
struct EvaluationGeometry {
  int resize_short = 0;    // ceil(resolution / 0.875)
  int resized_width = 0;
  int resized_height = 0;
  int crop_left = 0;
  int crop_top = 0;
  int resolution = 0;      // the crop is resolution x resolution
};

// resolution >= 1 and a non-empty image, else std::invalid_argument (the
// datasets check the resolution with a user-facing error before).
EvaluationGeometry evaluation_geometry(int width, int height, int resolution);

// The resized and cropped 8-bit image, before scaling and normalisation.
RgbImage resize_and_crop(const RgbImage& image, int resolution);

// The whole transform: writes 3 planes (R, G, B) of resolution x resolution
// float32 values to `out` (CHW, as one image of an NCHW batch).
void apply_evaluation_transform(const RgbImage& image, int resolution, float* out);

// ToTensor + Normalize (ImageNet's mean/std) of an image already at its
// final size: 3 planes of width x height float32 values to `out`. The last
// step of the evaluation and the training transform.
void write_normalised_planes(const RgbImage& image, float* out);

}  // namespace nasctl::datasets
