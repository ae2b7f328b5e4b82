// A decoded 8-bit RGB image: what the image decoder produces and the
// evaluation transform consumes, free of any library's types.
#pragma once

#include <cstdint>
#include <vector>

namespace nasctl::datasets {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // rows top to bottom, R G B per pixel, no padding

  const std::uint8_t* pixel(int x, int y) const { return &pixels[(static_cast<std::size_t>(y) * width + x) * 3]; }
};

}  // namespace nasctl::datasets
