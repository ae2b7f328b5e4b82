#include "nasctl/report/axes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nasctl::report {

double Scale::operator()(double value) const {
  if (hi == lo) return (from + to) / 2.0;
  return from + (value - lo) / (hi - lo) * (to - from);
}

Scale padded_scale(const std::vector<double>& values, double from, double to) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo > hi) return {0.0, 1.0, from, to};
  if (lo == hi) {
    const double half = std::max(1.0, std::abs(lo) * 0.05);
    return {lo - half, hi + half, from, to};
  }
  const double pad = (hi - lo) * 0.05;
  return {lo - pad, hi + pad, from, to};
}

namespace {

double nice_step(double range, int target) {
  const double raw = range / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  // The largest of 1, 2, 5, 10 not above the raw step's leading digit, rounded
  // up: steps grow so that no more than about `target` ticks are drawn.
  const double nice = fraction <= 1.0 ? 1.0 : fraction <= 2.0 ? 2.0 : fraction <= 5.0 ? 5.0 : 10.0;
  return nice * power;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {};
  const double step = nice_step(hi - lo, target);
  std::vector<double> ticks;
  // Multiples of the step, computed from integers so that a tick at zero is
  // exactly zero and no error accumulates along the axis.
  const double first = std::ceil(lo / step);
  const double last = std::floor(hi / step);
  for (double k = first; k <= last; k += 1.0) ticks.push_back(k * step);
  return ticks;
}

std::string tick_label(double value, double step) {
  // A tick at k * step for k = 0 may come out as -0 or 1e-17; it is zero.
  // Zero needs no unit or decimals ("0", not "0T" or "0.00").
  if (std::abs(value) < std::abs(step) * 1e-9) return "0";
  static const struct {
    double scale;
    const char* suffix;
  } kUnits[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  double scale = 1.0;
  const char* suffix = "";
  const double magnitude = std::max(std::abs(value), std::abs(step));
  if (magnitude >= 1e4) {
    for (const auto& u : kUnits) {
      if (magnitude >= u.scale) {
        scale = u.scale;
        suffix = u.suffix;
        break;
      }
    }
  }
  const double scaled_step = step / scale;
  int decimals = 0;
  if (scaled_step > 0 && scaled_step < 1.0) decimals = static_cast<int>(std::ceil(-std::log10(scaled_step) - 1e-9));
  decimals = std::clamp(decimals, 0, 9);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%s", decimals, value / scale, suffix);
  return buf;
}

void draw_axes(Svg& svg, const PlotArea& area, const Scale& x, const Scale& y, const std::string& x_title,
               const std::string& y_title) {
  svg.open_group("axes");
  const auto xticks = nice_ticks(x.lo, x.hi);
  const auto yticks = nice_ticks(y.lo, y.hi);
  const double xstep = xticks.size() > 1 ? xticks[1] - xticks[0] : x.hi - x.lo;
  const double ystep = yticks.size() > 1 ? yticks[1] - yticks[0] : y.hi - y.lo;
  for (double t : xticks) {
    const double px = x(t);
    svg.line(px, area.y1(), px, area.y0(), "grid");
    svg.line(px, area.y0(), px, area.y0() + 5, "tick");
    svg.text(px, area.y0() + 18, tick_label(t, xstep), Anchor::Middle, "tick-label");
  }
  for (double t : yticks) {
    const double py = y(t);
    svg.line(area.x0(), py, area.x1(), py, "grid");
    svg.line(area.x0() - 5, py, area.x0(), py, "tick");
    svg.text(area.x0() - 8, py + 4, tick_label(t, ystep), Anchor::End, "tick-label");
  }
  svg.rect(area.x0(), area.y1(), area.x1() - area.x0(), area.y0() - area.y1(), "frame");
  svg.text((area.x0() + area.x1()) / 2, area.height - 12, x_title, Anchor::Middle, "axis-title");
  svg.text(18, (area.y0() + area.y1()) / 2, y_title, Anchor::Middle, "axis-title", -90);
  svg.close_group();
}

}  // namespace nasctl::report
