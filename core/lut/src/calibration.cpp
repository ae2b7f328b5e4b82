#include "nasctl/lut/calibration.hpp"

#include <cmath>
#include <string>

#include "nasctl/error.hpp"

namespace nasctl::lut {

namespace {

// Weighted sums of the normal equations, weights 1 / y^2.
struct Sums {
  double w = 0, x = 0, y = 0, xx = 0, xy = 0;
  void add(double xi, double yi, double sign = 1.0) {
    const double wi = sign / (yi * yi);
    w += wi;
    x += wi * xi;
    y += wi * yi;
    xx += wi * xi * xi;
    xy += wi * xi * yi;
  }
};

Calibration solve(const Sums& s) {
  const double det = s.w * s.xx - s.x * s.x;
  if (!(std::abs(det) > 1e-12 * s.w * s.xx))
    throw Error("lut calibration: every network has the same LUT sum, so scale and overhead cannot be told apart; "
                "fix: check more networks (-n) from a space whose networks differ");
  Calibration c;
  c.scale = (s.w * s.xy - s.x * s.y) / det;
  c.overhead_ms = (s.y - c.scale * s.x) / s.w;
  return c;
}

void check_inputs(const std::vector<double>& lut, const std::vector<double>& measured, std::size_t at_least) {
  if (lut.size() != measured.size() || lut.size() < at_least)
    throw Error("lut calibration: needs at least " + std::to_string(at_least) + " networks (got " +
                std::to_string(std::min(lut.size(), measured.size())) + "); fix: check more networks (-n)");
  for (std::size_t i = 0; i < lut.size(); ++i) {
    if (!(measured[i] > 0) || !std::isfinite(measured[i]) || !std::isfinite(lut[i]))
      throw Error("lut calibration: network " + std::to_string(i + 1) + " has measured latency " +
                  std::to_string(measured[i]) + " ms and LUT sum " + std::to_string(lut[i]) +
                  " ms; fix: a measured latency must be a finite number > 0");
  }
}

}  // namespace

Calibration fit_calibration(const std::vector<double>& lut, const std::vector<double>& measured) {
  check_inputs(lut, measured, 2);
  Sums s;
  for (std::size_t i = 0; i < lut.size(); ++i) s.add(lut[i], measured[i]);
  const Calibration c = solve(s);
  if (!(c.scale > 0))
    throw Error("lut calibration: the fitted scale is " + std::to_string(c.scale) +
                ": end-to-end latency does not grow with the LUT sum; fix: rebuild the table with the same hardware "
                "instance and conditions as the check");
  return c;
}

std::vector<double> leave_one_out(const std::vector<double>& lut, const std::vector<double>& measured) {
  check_inputs(lut, measured, 3);
  Sums all;
  for (std::size_t i = 0; i < lut.size(); ++i) all.add(lut[i], measured[i]);
  std::vector<double> predicted(lut.size());
  for (std::size_t i = 0; i < lut.size(); ++i) {
    Sums rest = all;
    rest.add(lut[i], measured[i], -1.0);
    const Calibration c = solve(rest);
    predicted[i] = c.scale * lut[i] + c.overhead_ms;
  }
  return predicted;
}

std::vector<double> apply_calibration(const Calibration& c, const std::vector<double>& lut) {
  std::vector<double> out(lut.size());
  for (std::size_t i = 0; i < lut.size(); ++i) out[i] = c.scale * lut[i] + c.overhead_ms;
  return out;
}

}  // namespace nasctl::lut
