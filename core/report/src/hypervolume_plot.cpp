#include <string>

#include "nasctl/report/axes.hpp"
#include "nasctl/report/hypervolume_curve.hpp"
#include "nasctl/report/plots.hpp"
#include "nasctl/report/svg.hpp"

namespace nasctl::report {

std::string hypervolume_plot(const std::vector<PlotRun>& runs, const std::vector<double>& reference) {
  PlotArea area;
  area.right = 180;
  area.width = 620 + area.right;
  std::vector<std::vector<CurvePoint>> curves;
  std::vector<double> xs{0.0}, ys{0.0};
  for (const auto& r : runs) {
    curves.push_back(hypervolume_curve(*r.run, reference));
    xs.push_back(static_cast<double>(r.run->evaluations.size()));
    for (const auto& p : curves.back()) ys.push_back(p.hypervolume);
  }
  std::string reference_text;
  for (double v : reference) reference_text += (reference_text.empty() ? "" : ", ") + format_value(v);
  Svg svg(area.width, area.height, "Hypervolume against evaluations");
  const Scale sx = padded_scale(xs, area.x0(), area.x1());
  const Scale sy = padded_scale(ys, area.y0(), area.y1());
  draw_axes(svg, area, sx, sy, "evaluations",
            "hypervolume (reference " + reference_text + ")");
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const std::string colour = "r" + std::to_string(runs[k].slot % 8);
    svg.open_group("run " + colour);
    std::vector<std::pair<double, double>> steps;
    for (const auto& p : curves[k]) {
      const double x = sx(static_cast<double>(p.evaluations));
      if (!steps.empty()) steps.emplace_back(x, steps.back().second);
      steps.emplace_back(x, sy(p.hypervolume));
    }
    if (!steps.empty()) svg.polyline(steps, "hv " + colour);
    if (!curves[k].empty()) {
      const CurvePoint& last = curves[k].back();
      svg.circle(sx(static_cast<double>(last.evaluations)), sy(last.hypervolume), 3.5, "hv-end " + colour,
                 runs[k].label + ": hypervolume " + format_value(last.hypervolume) + " after " +
                     std::to_string(last.evaluations) + " evaluations");
    }
    svg.close_group();
  }
  svg.open_group("legend");
  double ly = area.y1() + 10;
  for (const auto& r : runs) {
    svg.rect(area.x1() + 14, ly - 8, 10, 10, "swatch r" + std::to_string(r.slot % 8));
    std::string label = r.label;
    if (label.size() > 24) label = label.substr(0, 11) + "..." + label.substr(label.size() - 10);
    svg.text(area.x1() + 30, ly + 1, label, Anchor::Start, "legend-label");
    ly += 18;
  }
  svg.close_group();
  return svg.str();
}

}  // namespace nasctl::report
