#include "nasctl/datasets/training_transform.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "nasctl/datasets/evaluation_transform.hpp"
#include "pillow_resample.hpp"

namespace nasctl::datasets {

namespace {

constexpr double kMinArea = 0.08, kMaxArea = 1.0;
constexpr double kMinRatio = 3.0 / 4.0, kMaxRatio = 4.0 / 3.0;

double uniform(Rng& rng, double low, double high) { return low + (high - low) * uniform_unit(rng); }

// Python's round() of a non-negative double: halves to the even neighbour,
// which is what nearbyint does in the default rounding mode.
int python_round(double v) { return static_cast<int>(std::nearbyint(v)); }

// The box cut out of `image` into `out` (reused buffer).
void cut(const RgbImage& image, const CropBox& box, RgbImage& out) {
  out.width = box.width;
  out.height = box.height;
  out.pixels.resize(static_cast<std::size_t>(box.width) * static_cast<std::size_t>(box.height) * 3);
  const std::size_t row_bytes = static_cast<std::size_t>(box.width) * 3;
  for (int y = 0; y < box.height; ++y)
    std::memcpy(&out.pixels[static_cast<std::size_t>(y) * row_bytes], image.pixel(box.left, box.top + y), row_bytes);
}

void flip_rows(RgbImage& image) {
  for (int y = 0; y < image.height; ++y) {
    std::uint8_t* row = &image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) * 3];
    for (int a = 0, b = image.width - 1; a < b; ++a, --b) {
      for (int c = 0; c < 3; ++c) std::swap(row[a * 3 + c], row[b * 3 + c]);
    }
  }
}

// PIL's ImagingBlend of two 8-bit levels: from + alpha * (to - from) in
// float, clamped (alpha outside [0, 1] extrapolates), truncated.
std::uint8_t blend_level(int from, int to, float alpha) {
  const float value = static_cast<float>(from) + alpha * static_cast<float>(to - from);
  if (value <= 0.0f) return 0;
  if (value >= 255.0f) return 255;
  return static_cast<std::uint8_t>(value);
}

}  // namespace

ColorJitterDraw draw_color_jitter(ColorJitter jitter, Rng& rng) {
  ColorJitterDraw draw;
  if (jitter == ColorJitter::None) return draw;
  constexpr double kBrightness = 32.0 / 255.0, kSaturation = 0.5;
  draw.brightness_first = uniform_unit(rng) < 0.5;
  draw.brightness = static_cast<float>(uniform(rng, 1.0 - kBrightness, 1.0 + kBrightness));
  draw.saturation = static_cast<float>(uniform(rng, 1.0 - kSaturation, 1.0 + kSaturation));
  return draw;
}

void adjust_brightness(RgbImage& image, float factor) {
  for (std::uint8_t& level : image.pixels) level = blend_level(0, level, factor);
}

void adjust_saturation(RgbImage& image, float factor) {
  const std::size_t pixels = image.pixels.size() / 3;
  for (std::size_t i = 0; i < pixels; ++i) {
    std::uint8_t* p = &image.pixels[i * 3];
    const int grey = static_cast<int>((p[0] * 19595u + p[1] * 38470u + p[2] * 7471u + 0x8000u) >> 16);
    for (int c = 0; c < 3; ++c) p[c] = blend_level(grey, p[c], factor);
  }
}

void apply_color_jitter(RgbImage& image, const ColorJitterDraw& draw) {
  if (draw.brightness_first) {
    adjust_brightness(image, draw.brightness);
    adjust_saturation(image, draw.saturation);
  } else {
    adjust_saturation(image, draw.saturation);
    adjust_brightness(image, draw.brightness);
  }
}

CropBox random_resized_crop_box(int width, int height, Rng& rng) {
  if (width < 1 || height < 1)
    throw std::invalid_argument("random resized crop of a " + std::to_string(width) + "x" + std::to_string(height) +
                                " image");
  const double area = static_cast<double>(width) * static_cast<double>(height);
  const double log_min = std::log(kMinRatio), log_max = std::log(kMaxRatio);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target_area = area * uniform(rng, kMinArea, kMaxArea);
    const double ratio = std::exp(uniform(rng, log_min, log_max));
    const int w = python_round(std::sqrt(target_area * ratio));
    const int h = python_round(std::sqrt(target_area / ratio));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      CropBox box;
      box.width = w;
      box.height = h;
      box.top = uniform_index(rng, height - h + 1);
      box.left = uniform_index(rng, width - w + 1);
      return box;
    }
  }
  CropBox box;
  const double in_ratio = static_cast<double>(width) / static_cast<double>(height);
  if (in_ratio < kMinRatio) {
    box.width = width;
    box.height = python_round(box.width / kMinRatio);
  } else if (in_ratio > kMaxRatio) {
    box.height = height;
    box.width = python_round(box.height * kMaxRatio);
  } else {
    box.width = width;
    box.height = height;
  }
  box.top = (height - box.height) / 2;
  box.left = (width - box.width) / 2;
  return box;
}

void apply_training_transform(const RgbImage& image, int resolution, Rng& rng, float* out, ColorJitter jitter) {
  if (resolution < 1)
    throw std::invalid_argument("training transform at resolution " + std::to_string(resolution));
  const CropBox box = random_resized_crop_box(image.width, image.height, rng);
  const bool flip = uniform_unit(rng) < 0.5;
  const ColorJitterDraw colour = draw_color_jitter(jitter, rng);
  // Per-thread scratch, reused from image to image (as the evaluation
  // transform's).
  thread_local RgbImage box_pixels;
  thread_local RgbImage resized;
  thread_local std::vector<std::uint8_t> between;
  cut(image, box, box_pixels);
  resample_window(box_pixels, resolution, resolution, 0, 0, resolution, resolution, resized, between);
  if (flip) flip_rows(resized);
  if (jitter != ColorJitter::None) apply_color_jitter(resized, colour);
  write_normalised_planes(resized, out);
}

}  // namespace nasctl::datasets
