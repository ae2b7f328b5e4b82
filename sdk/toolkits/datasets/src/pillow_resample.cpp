#include "pillow_resample.hpp"

#include <algorithm>
#include <cmath>

namespace nasctl::datasets {
namespace {

// Pillow: 32-bit accumulators, 8 bits of result, 2 bits of headroom for
// filters with negative lobes; the rest is the weights' precision.
constexpr int kPrecisionBits = 32 - 8 - 2;

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

std::uint8_t clip8(std::int32_t sum) { return static_cast<std::uint8_t>(std::clamp(sum >> kPrecisionBits, 0, 255)); }

}  // namespace

ResampleTaps bilinear_taps(int in_size, int out_size, int begin, int end) {
  // Each line mirrors precompute_coeffs(); the expressions keep Pillow's
  // order of operations so that the doubles, and the rounded weights, are
  // bit for bit the same.
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);  // widen the triangle when shrinking: antialiasing
  const double support = 1.0 * filter_scale;
  const double inverse_filter_scale = 1.0 / filter_scale;

  ResampleTaps taps;
  taps.begin = begin;
  taps.max_taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  const auto positions = static_cast<std::size_t>(end - begin);
  taps.first.resize(positions);
  taps.count.resize(positions);
  taps.weights.assign(positions * static_cast<std::size_t>(taps.max_taps), 0);
  std::vector<double> weights(static_cast<std::size_t>(taps.max_taps));
  for (int out = begin; out < end; ++out) {
    const double center = (out + 0.5) * scale;
    const int first = std::max(static_cast<int>(center - support + 0.5), 0);
    const int count = std::min(static_cast<int>(center + support + 0.5), in_size) - first;
    double total = 0.0;
    for (int x = 0; x < count; ++x) {
      weights[static_cast<std::size_t>(x)] = triangle((x + first - center + 0.5) * inverse_filter_scale);
      total += weights[static_cast<std::size_t>(x)];
    }
    const auto slot = static_cast<std::size_t>(out - begin);
    std::int32_t* fixed = &taps.weights[slot * static_cast<std::size_t>(taps.max_taps)];
    for (int x = 0; x < count; ++x) {
      const double w = total != 0.0 ? weights[static_cast<std::size_t>(x)] / total : weights[static_cast<std::size_t>(x)];
      fixed[x] = static_cast<std::int32_t>(w < 0 ? -0.5 + w * (1 << kPrecisionBits) : 0.5 + w * (1 << kPrecisionBits));
    }
    taps.first[slot] = first;
    taps.count[slot] = count;
  }
  return taps;
}

void resample_window(const RgbImage& image, int out_width, int out_height, int left, int top, int window_width,
                     int window_height, RgbImage& window, std::vector<std::uint8_t>& between) {
  const ResampleTaps columns = bilinear_taps(image.width, out_width, left, left + window_width);
  const ResampleTaps rows = bilinear_taps(image.height, out_height, top, top + window_height);
  const int first_row = rows.first.front();
  const int row_count = rows.last_needed() - first_row;

  // Horizontal pass over the input rows the window's vertical taps read,
  // rounded to 8 bits as Pillow stores its intermediate image.
  between.resize(static_cast<std::size_t>(row_count) * window_width * 3);
  for (int y = 0; y < row_count; ++y) {
    std::uint8_t* out = &between[static_cast<std::size_t>(y) * window_width * 3];
    for (int column = 0; column < window_width; ++column) {
      const std::int32_t* weights = &columns.weights[static_cast<std::size_t>(column) * columns.max_taps];
      const std::uint8_t* in = image.pixel(columns.first[static_cast<std::size_t>(column)], first_row + y);
      std::int32_t r = 1 << (kPrecisionBits - 1), g = r, b = r;  // + 0.5: round to nearest
      for (int t = 0; t < columns.count[static_cast<std::size_t>(column)]; ++t, in += 3) {
        r += in[0] * weights[t];
        g += in[1] * weights[t];
        b += in[2] * weights[t];
      }
      *out++ = clip8(r);
      *out++ = clip8(g);
      *out++ = clip8(b);
    }
  }

  window.width = window_width;
  window.height = window_height;
  window.pixels.resize(static_cast<std::size_t>(window_width) * window_height * 3);
  const std::size_t stride = static_cast<std::size_t>(window_width) * 3;
  for (int row = 0; row < window_height; ++row) {
    const std::int32_t* weights = &rows.weights[static_cast<std::size_t>(row) * rows.max_taps];
    const int first = rows.first[static_cast<std::size_t>(row)] - first_row;
    const int count = rows.count[static_cast<std::size_t>(row)];
    std::uint8_t* out = &window.pixels[static_cast<std::size_t>(row) * stride];
    for (std::size_t i = 0; i < stride; ++i) {
      std::int32_t sum = 1 << (kPrecisionBits - 1);
      const std::uint8_t* in = &between[static_cast<std::size_t>(first) * stride + i];
      for (int t = 0; t < count; ++t, in += stride) sum += *in * weights[t];
      out[i] = clip8(sum);
    }
  }
}

}  // namespace nasctl::datasets
