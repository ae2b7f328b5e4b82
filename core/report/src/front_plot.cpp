#include <algorithm>
#include <cmath>
#include <set>

#include "nasctl/report/axes.hpp"
#include "nasctl/report/plots.hpp"
#include "nasctl/report/svg.hpp"

namespace nasctl::report {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string slot_class(std::size_t slot) { return "r" + std::to_string(slot % 8); }

// "cpu.latency_ms (ms) / gpu.latency_ms (ms)": every run's metric on this axis.
std::string axis_title(const std::vector<PlotRun>& runs, std::size_t objective) {
  std::vector<std::string> titles;
  for (const auto& r : runs) {
    const std::string t = r.run->metric_title(r.run->objectives[objective].metric);
    if (std::find(titles.begin(), titles.end(), t) == titles.end()) titles.push_back(t);
  }
  std::string out;
  for (const auto& t : titles) out += (out.empty() ? "" : " / ") + t;
  return out;
}

std::string point_title(const PlotRun& r, const Evaluation& e, bool on_front) {
  const RunFolder& run = *r.run;
  std::string t = r.label + " #" + std::to_string(e.index) + "\n" + e.arch;
  for (std::size_t m = 0; m < run.metrics.size(); ++m) {
    t += "\n" + run.metrics[m] + " = " + format_value(e.values[m]);
    auto unit = run.units.find(run.metrics[m]);
    if (unit != run.units.end() && !unit->second.empty()) t += " " + unit->second;
  }
  if (on_front) return t + "\non the Pareto front";
  if (e.feasible) return t + "\nfeasible";
  return t + "\ninfeasible (violation " + format_value(e.violation) + ")";
}

// The constraints of a run on one metric, as (limit, "max"/"min").
std::vector<const RunConstraint*> constraints_on(const RunFolder& run, const std::string& metric) {
  std::vector<const RunConstraint*> out;
  for (const auto& c : run.constraints) {
    if (c.metric == metric) out.push_back(&c);
  }
  return out;
}

}  // namespace

std::string front_plot(const std::vector<PlotRun>& all_runs, std::size_t xo, std::size_t yo) {
  std::vector<PlotRun> runs;
  for (const auto& r : all_runs) {
    if (r.run->objectives.size() > std::max(xo, yo)) runs.push_back(r);
  }
  PlotArea area;
  area.right = 180;  // the legend
  area.width = 620 + area.right;
  const std::string x_title = axis_title(runs, xo), y_title = axis_title(runs, yo);
  Svg svg(area.width, area.height, "Pareto front: " + y_title + " against " + x_title);

  std::vector<double> xs, ys;
  for (const auto& r : runs) {
    const RunFolder& run = *r.run;
    const std::size_t cx = run.metric_column(run.objectives[xo].metric), cy = run.metric_column(run.objectives[yo].metric);
    for (const auto& e : run.evaluations) {
      if (!std::isfinite(e.values[cx]) || !std::isfinite(e.values[cy])) continue;
      xs.push_back(e.values[cx]);
      ys.push_back(e.values[cy]);
    }
    // A limit is always in view, even where every point is far inside it.
    for (const auto* c : constraints_on(run, run.objectives[xo].metric)) xs.push_back(c->limit);
    for (const auto* c : constraints_on(run, run.objectives[yo].metric)) ys.push_back(c->limit);
  }
  const Scale sx = padded_scale(xs, area.x0(), area.x1());
  const Scale sy = padded_scale(ys, area.y0(), area.y1());
  draw_axes(svg, area, sx, sy, x_title, y_title);

  for (const auto& r : runs) {
    const RunFolder& run = *r.run;
    const std::string& xm = run.objectives[xo].metric;
    const std::string& ym = run.objectives[yo].metric;
    const std::size_t cx = run.metric_column(xm), cy = run.metric_column(ym);
    const std::string colour = slot_class(r.slot);
    svg.open_group("run " + colour);
    for (const auto* c : constraints_on(run, xm)) {
      svg.line(sx(c->limit), area.y1(), sx(c->limit), area.y0(), "constraint " + colour);
      svg.text(sx(c->limit) + 3, area.y1() + 12, (c->at_most ? "max " : "min ") + format_value(c->limit), Anchor::Start,
               "constraint-label " + colour);
    }
    for (const auto* c : constraints_on(run, ym)) {
      svg.line(area.x0(), sy(c->limit), area.x1(), sy(c->limit), "constraint " + colour);
      svg.text(area.x1() - 3, sy(c->limit) - 4, (c->at_most ? "max " : "min ") + format_value(c->limit), Anchor::End,
               "constraint-label " + colour);
    }
    const std::set<std::size_t> on_front(run.front.begin(), run.front.end());
    auto plottable = [&](const Evaluation& e) { return std::isfinite(e.values[cx]) && std::isfinite(e.values[cy]); };
    // Drawn back to front: infeasible, feasible, then the front on top.
    for (int layer = 0; layer < 3; ++layer) {
      for (std::size_t i = 0; i < run.evaluations.size(); ++i) {
        const Evaluation& e = run.evaluations[i];
        const bool front = on_front.count(i) > 0;
        const int kind = front ? 2 : e.feasible ? 1 : 0;
        if (kind != layer || !plottable(e)) continue;
        static const char* const kKinds[] = {"pt infeasible ", "pt feasible ", "pt front "};
        static const double kRadius[] = {2.5, 3.0, 4.5};
        svg.circle(sx(e.values[cx]), sy(e.values[cy]), kRadius[kind], kKinds[kind] + colour, point_title(r, e, front));
      }
    }
    if (run.objectives.size() == 2 && run.front.size() > 1) {
      // The attainment staircase of a two-objective front, in minimisation form.
      std::vector<std::size_t> order(run.front.begin(), run.front.end());
      const RunObjective& ox = run.objectives[xo];
      const RunObjective& oy = run.objectives[yo];
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return ox.minimized(run.evaluations[a].values[cx]) < ox.minimized(run.evaluations[b].values[cx]);
      });
      std::vector<std::pair<double, double>> steps;
      for (std::size_t k = 0; k < order.size(); ++k) {
        const Evaluation& e = run.evaluations[order[k]];
        if (!plottable(e)) continue;
        if (!steps.empty()) steps.emplace_back(sx(e.values[cx]), steps.back().second);
        steps.emplace_back(sx(e.values[cx]), sy(e.values[cy]));
      }
      svg.polyline(steps, "staircase " + colour);
    }
    svg.close_group();
  }

  svg.open_group("legend");
  double ly = area.y1() + 10;
  const double lx = area.x1() + 14;
  for (const auto& r : runs) {
    svg.rect(lx, ly - 8, 10, 10, "swatch " + slot_class(r.slot));
    std::string label = r.label;
    if (label.size() > 24) label = label.substr(0, 11) + "..." + label.substr(label.size() - 10);
    svg.text(lx + 16, ly + 1, label, Anchor::Start, "legend-label");
    ly += 18;
  }
  ly += 8;
  static const std::pair<const char*, const char*> kMarkers[] = {
      {"key front", "Pareto front"}, {"key feasible", "feasible"}, {"key infeasible", "infeasible"}};
  for (const auto& [cls, text] : kMarkers) {
    svg.circle(lx + 5, ly - 3, 4, cls);
    svg.text(lx + 16, ly + 1, text, Anchor::Start, "legend-label");
    ly += 18;
  }
  svg.line(lx, ly - 3, lx + 10, ly - 3, "key constraint");
  svg.text(lx + 16, ly + 1, "constraint", Anchor::Start, "legend-label");
  svg.close_group();
  return svg.str();
}

}  // namespace nasctl::report
