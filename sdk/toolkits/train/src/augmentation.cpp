#include "augmentation.hpp"

#include <ATen/ATen.h>

namespace nasctl::train::detail {

at::Tensor augment(const at::Tensor& images, int64_t padding, bool flip, float pad_value, Rng& rng) {
  const at::Tensor in = images.contiguous();
  at::Tensor out = at::empty_like(in);
  const int64_t n = in.size(0), channels = in.size(1), height = in.size(2), width = in.size(3);
  const float* src = in.data_ptr<float>();
  float* dst = out.data_ptr<float>();
  const int span = static_cast<int>(2 * padding + 1);
  for (int64_t i = 0; i < n; ++i) {
    // Top-left corner of the crop in the padded image, minus the padding:
    // output pixel (y, x) reads input pixel (y + dy, x + dx).
    const int64_t dy = padding > 0 ? uniform_index(rng, span) - padding : 0;
    const int64_t dx = padding > 0 ? uniform_index(rng, span) - padding : 0;
    const bool mirrored = flip && uniform_index(rng, 2) == 1;
    for (int64_t c = 0; c < channels; ++c) {
      const float* plane = src + (i * channels + c) * height * width;
      float* target = dst + (i * channels + c) * height * width;
      for (int64_t y = 0; y < height; ++y) {
        const int64_t sy = y + dy;
        for (int64_t x = 0; x < width; ++x) {
          // The flip mirrors the cropped image.
          const int64_t sx = (mirrored ? width - 1 - x : x) + dx;
          const bool inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
          target[y * width + x] = inside ? plane[sy * width + sx] : pad_value;
        }
      }
    }
  }
  return out;
}

}  // namespace nasctl::train::detail
