#include <string>

#include "nasctl/report/axes.hpp"
#include "nasctl/report/plots.hpp"
#include "nasctl/report/svg.hpp"

namespace nasctl::report {

std::string lut_check_plot(const LutCheck& check) {
  PlotArea area;
  area.right = 180;
  area.width = 620 + area.right;
  std::vector<double> all;
  for (const auto& s : check.samples) all.insert(all.end(), {s.measured_ms, s.lut_sum_ms, s.calibrated_ms});
  // One scale for both axes: the y = x line is then the diagonal of equal
  // latencies, and distance from it reads the same everywhere.
  const Scale sx = padded_scale(all, area.x0(), area.x1());
  const Scale sy{sx.lo, sx.hi, area.y0(), area.y1()};
  Svg svg(area.width, area.height, "LUT check: predicted against measured latency");
  draw_axes(svg, area, sx, sy, "measured latency (ms)", "predicted latency (ms)");
  svg.line(sx(sx.lo), sy(sx.lo), sx(sx.hi), sy(sx.hi), "identity");
  auto title = [](const LutSample& s, const char* what, double predicted) {
    return s.arch + "\nmeasured " + format_value(s.measured_ms) + " ms\n" + what + " " + format_value(predicted) + " ms";
  };
  svg.open_group("run r0");
  for (const auto& s : check.samples) svg.circle(sx(s.measured_ms), sy(s.lut_sum_ms), 3.0, "pt lut-sum r0", title(s, "LUT sum", s.lut_sum_ms));
  svg.close_group();
  svg.open_group("run r1");
  for (const auto& s : check.samples)
    svg.circle(sx(s.measured_ms), sy(s.calibrated_ms), 3.0, "pt calibrated r1", title(s, "calibrated", s.calibrated_ms));
  svg.close_group();
  svg.open_group("legend");
  const double lx = area.x1() + 14;
  svg.circle(lx + 5, area.y1() + 7, 4, "key lut-sum r0");
  svg.text(lx + 16, area.y1() + 11, "LUT sum", Anchor::Start, "legend-label");
  svg.circle(lx + 5, area.y1() + 25, 4, "key calibrated r1");
  svg.text(lx + 16, area.y1() + 29, "calibrated (" + check.fitted_form + ")", Anchor::Start, "legend-label");
  svg.line(lx, area.y1() + 43, lx + 10, area.y1() + 43, "identity");
  svg.text(lx + 16, area.y1() + 47, "predicted = measured", Anchor::Start, "legend-label");
  svg.close_group();
  return svg.str();
}

}  // namespace nasctl::report
