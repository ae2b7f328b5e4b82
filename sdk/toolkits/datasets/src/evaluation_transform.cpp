#include "nasctl/datasets/evaluation_transform.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "pillow_resample.hpp"

namespace nasctl::datasets {
namespace {

// Python's round(k / 2) for an integer k: halves go to the even neighbour
// (torchvision's center_crop computes int(round((size - crop) / 2.0))).
int round_half_to_even(int twice) {
  const int half = twice / 2;
  if (twice % 2 == 0) return half;
  return half % 2 == 0 ? half : half + 1;
}

}  // namespace

EvaluationGeometry evaluation_geometry(int width, int height, int resolution) {
  if (resolution < 1 || width < 1 || height < 1) {
    throw std::invalid_argument("evaluation transform of a " + std::to_string(width) + "x" + std::to_string(height) +
                                " image at resolution " + std::to_string(resolution));
  }
  EvaluationGeometry g;
  g.resolution = resolution;
  // ceil(r / 0.875) = ceil(8r / 7) exactly (0.875 is a binary fraction, so
  // Python's r / 0.875 is 8r / 7 correctly rounded, and an integer when 8r / 7 is).
  const std::int64_t short_side = (8 * std::int64_t{resolution} + 6) / 7;
  g.resize_short = static_cast<int>(short_side);
  // torchvision: long side int(s * long / short), a floor of an exact
  // quotient in double for image sizes (s * long is an exact integer).
  if (width <= height) {
    g.resized_width = g.resize_short;
    g.resized_height = static_cast<int>(short_side * height / width);
  } else {
    g.resized_height = g.resize_short;
    g.resized_width = static_cast<int>(short_side * width / height);
  }
  g.crop_left = round_half_to_even(g.resized_width - resolution);
  g.crop_top = round_half_to_even(g.resized_height - resolution);
  return g;
}

namespace {

void resize_and_crop_into(const RgbImage& image, int resolution, RgbImage& crop, std::vector<std::uint8_t>& between) {
  const EvaluationGeometry g = evaluation_geometry(image.width, image.height, resolution);
  resample_window(image, g.resized_width, g.resized_height, g.crop_left, g.crop_top, resolution, resolution, crop,
                  between);
}

}  // namespace

RgbImage resize_and_crop(const RgbImage& image, int resolution) {
  RgbImage crop;
  std::vector<std::uint8_t> between;
  resize_and_crop_into(image, resolution, crop, between);
  return crop;
}

void apply_evaluation_transform(const RgbImage& image, int resolution, float* out) {
  // Per-thread scratch, reused from image to image: fresh buffers of these
  // sizes would be mapped (and page-faulted) anew for every image.
  thread_local RgbImage crop;
  thread_local std::vector<std::uint8_t> between;
  resize_and_crop_into(image, resolution, crop, between);
  write_normalised_planes(crop, out);
}

void write_normalised_planes(const RgbImage& image, float* out) {
  // ToTensor then Normalize, per channel, in float32 as torchvision computes
  // them; a table of the 256 possible values per channel.
  float values[3][256];
  for (int c = 0; c < 3; ++c) {
    for (int v = 0; v < 256; ++v) values[c][v] = (static_cast<float>(v) / 255.0f - kImageNetMean[c]) / kImageNetStd[c];
  }
  const std::size_t plane = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
  const std::uint8_t* in = image.pixels.data();
  for (std::size_t p = 0; p < plane; ++p, in += 3) {
    out[p] = values[0][in[0]];
    out[plane + p] = values[1][in[1]];
    out[2 * plane + p] = values[2][in[2]];
  }
}

}  // namespace nasctl::datasets
