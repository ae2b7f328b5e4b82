// Plot axes: a linear map from data to pixels, "nice" tick values (1, 2 or 5
// times a power of ten, as people read axes), tick labels short enough for
// 10^8 MACs ("200M"), and the frame, ticks and labels drawn into an Svg.
#pragma once

#include <string>
#include <vector>

#include "nasctl/report/svg.hpp"

namespace nasctl::report {

// Data [lo, hi] onto pixels [from, to] (to < from for a y axis: up is small y).
struct Scale {
  double lo = 0.0, hi = 1.0;
  double from = 0.0, to = 1.0;
  double operator()(double value) const;
};

// The smallest interval holding `values` (non-finite ones skipped), widened
// by 5% of its width on each side so no marker sits on the frame; a single
// value v gives [v - 1, v + 1] around it (scaled by |v| when large). Empty
// or all non-finite input gives [0, 1].
Scale padded_scale(const std::vector<double>& values, double from, double to);

// Tick values inside [lo, hi], about `target` of them, at a 1/2/5 x 10^k step.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

// A tick's label: the step decides the decimals, and values of 10^4 and more
// use k/M/G/T ("250k", "1.5M"), so labels stay short at any magnitude.
std::string tick_label(double value, double step);

// A plot's area inside the Svg: margins left for the tick labels and titles.
struct PlotArea {
  double width = 620, height = 400;
  double left = 78, right = 16, top = 14, bottom = 52;
  double x0() const { return left; }
  double x1() const { return width - right; }
  double y0() const { return height - bottom; }  // bottom edge, in pixels
  double y1() const { return top; }
};

// The frame, grid lines, ticks with labels and both axis titles.
void draw_axes(Svg& svg, const PlotArea& area, const Scale& x, const Scale& y, const std::string& x_title,
               const std::string& y_title);

}  // namespace nasctl::report
