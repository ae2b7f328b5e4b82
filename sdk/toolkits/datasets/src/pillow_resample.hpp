// Pillow's resampling with its BILINEAR filter on 8-bit images
// (src/libImaging/Resample.c: precompute_coeffs, normalize_coeffs_8bpc and
// the two 8-bit passes), reimplemented so nasctl's inputs equal those that
// torchvision's Resize gives OFA's evaluation code on a PIL image. Only a
// window of the output is computed: every output pixel depends on the input
// alone, so the window holds the values a whole resize would.
#pragma once

#include <cstdint>
#include <vector>

#include "nasctl/datasets/rgb_image.hpp"

namespace nasctl::datasets {

// Fixed-point filter taps of output positions [begin, end) of a resize from
// in_size to out_size samples along one axis.
struct ResampleTaps {
  int begin = 0;
  int max_taps = 0;
  std::vector<int> first;              // first input sample of each output position
  std::vector<int> count;              // input samples it reads
  std::vector<std::int32_t> weights;   // count[i] weights at i * max_taps, scaled by 2^22

  int last_needed() const { return first.back() + count.back(); }  // one past the last input sample read
};

ResampleTaps bilinear_taps(int in_size, int out_size, int begin, int end);

// The window [left, left + window_width) x [top, top + window_height) of
// `image` resized to out_width x out_height: Pillow's horizontal pass into
// 8 bits, then its vertical pass.
// `window` and `between` (the 8-bit intermediate) keep their capacity, so a
// loader thread that passes the same ones for every image allocates once.
void resample_window(const RgbImage& image, int out_width, int out_height, int left, int top, int window_width,
                     int window_height, RgbImage& window, std::vector<std::uint8_t>& between);

}  // namespace nasctl::datasets
