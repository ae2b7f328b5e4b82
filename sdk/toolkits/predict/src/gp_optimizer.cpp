#include "gp_optimizer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace nasctl::predict::detail {

namespace {

using Vec = std::array<double, 2>;  // (log length-scale, log noise ratio)

struct Box {
  Vec lo, hi;
  Vec clamp(Vec v) const {
    for (int i = 0; i < 2; ++i) v[i] = std::min(hi[i], std::max(lo[i], v[i]));
    return v;
  }
};

struct Point {
  Vec theta{};
  GpLikelihood::Value value;
  Vec gradient() const { return {value.d_log_length, value.d_log_ratio}; }
};

double dot(const Vec& a, const Vec& b) { return a[0] * b[0] + a[1] * b[1]; }

// Box-bounded BFGS ascent from `start`: directions that leave the box at an
// active bound are dropped, steps backtrack (Armijo) on the clamped point.
Point refine(const GpLikelihood& likelihood, const Box& box, Point start, int max_iterations, int& evaluations) {
  Point cur = start;
  cur.value = likelihood.profiled(cur.theta[0], cur.theta[1], true);
  ++evaluations;
  if (!cur.value.ok) return start;
  double h[2][2] = {{1.0, 0.0}, {0.0, 1.0}};  // inverse Hessian of -lml
  for (int it = 0; it < max_iterations; ++it) {
    const Vec g = cur.gradient();
    Vec p{h[0][0] * g[0] + h[0][1] * g[1], h[1][0] * g[0] + h[1][1] * g[1]};
    for (int i = 0; i < 2; ++i) {
      if ((cur.theta[i] <= box.lo[i] && p[i] < 0) || (cur.theta[i] >= box.hi[i] && p[i] > 0)) p[i] = 0.0;
    }
    const double norm = std::sqrt(dot(p, p));
    if (norm < 1e-9) break;
    if (norm > 1.5) p = {p[0] * 1.5 / norm, p[1] * 1.5 / norm};  // at most a factor e^1.5 per step
    Point next;
    bool accepted = false;
    for (double t = 1.0; t > 1e-4 && !accepted; t *= 0.5) {
      next.theta = box.clamp({cur.theta[0] + t * p[0], cur.theta[1] + t * p[1]});
      next.value = likelihood.profiled(next.theta[0], next.theta[1], true);
      ++evaluations;
      const Vec step{next.theta[0] - cur.theta[0], next.theta[1] - cur.theta[1]};
      accepted = next.value.ok && next.value.lml >= cur.value.lml + 1e-4 * dot(g, step);
    }
    if (!accepted) break;
    const Vec s{next.theta[0] - cur.theta[0], next.theta[1] - cur.theta[1]};
    const Vec gn = next.gradient();
    const Vec y{g[0] - gn[0], g[1] - gn[1]};  // change of the gradient of -lml
    const double sy = dot(s, y);
    if (sy > 1e-12) {
      // H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T
      const double rho = 1.0 / sy;
      double a[2][2], tmp[2][2];
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) a[i][j] = (i == j ? 1.0 : 0.0) - rho * s[i] * y[j];
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) tmp[i][j] = a[i][0] * h[0][j] + a[i][1] * h[1][j];
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) h[i][j] = tmp[i][0] * a[j][0] + tmp[i][1] * a[j][1] + rho * s[i] * s[j];
    } else {
      h[0][0] = h[1][1] = 1.0;
      h[0][1] = h[1][0] = 0.0;
    }
    const double gain = next.value.lml - cur.value.lml;
    cur = next;
    if (gain < 1e-9 * (1.0 + std::abs(cur.value.lml)) || std::max(std::abs(s[0]), std::abs(s[1])) < 1e-7) break;
  }
  return cur;
}

}  // namespace

GpOptimum maximise_likelihood(const GpLikelihood& likelihood, const GpOptions& options, double median) {
  const double log_median = std::log(median);
  const Box box{{log_median - std::log(20.0), std::log(options.min_noise_ratio)},
                {log_median + std::log(100.0), std::log(10.0)}};

  // Grid: length-scales from median/8 to 32 x median (the long end is the
  // near-additive regime), noise ratios from the floor to 1.
  std::vector<double> log_ratios{std::log(options.min_noise_ratio)};
  for (double r : {1e-3, 1e-2, 1e-1, 1.0}) {
    if (r > options.min_noise_ratio * 1.5) log_ratios.push_back(std::log(r));
  }
  std::vector<Point> grid;
  int evaluations = 0;
  for (int k = -3; k <= 5; ++k) {
    for (double log_ratio : log_ratios) {
      Point p;
      p.theta = box.clamp({log_median + k * std::log(2.0), log_ratio});
      p.value = likelihood.profiled(p.theta[0], p.theta[1], false);
      ++evaluations;
      if (p.value.ok) grid.push_back(p);
    }
  }
  GpOptimum out;
  out.evaluations = evaluations;
  if (grid.empty()) {
    out.length_scale = median;
    out.ratio = 1.0;
    return out;
  }
  // Best first; ties keep grid order, so the result never depends on sorting details.
  std::stable_sort(grid.begin(), grid.end(), [](const Point& a, const Point& b) { return a.value.lml > b.value.lml; });
  Point best = grid.front();
  const std::size_t starts = std::min(grid.size(), static_cast<std::size_t>(std::max(0, options.restarts)));
  for (std::size_t i = 0; i < starts; ++i) {
    const Point refined = refine(likelihood, box, grid[i], options.max_iterations, evaluations);
    // A later start replaces an earlier one only when clearly better: two
    // starts that converge to the same optimum differ by the stopping
    // tolerance, and which of them rounding favours differs between BLAS
    // kernels (the hyper-parameters would then differ from machine to machine).
    if (refined.value.ok && refined.value.lml > best.value.lml + 1e-7 * (1.0 + std::abs(best.value.lml)))
      best = refined;
  }
  out.length_scale = std::exp(best.theta[0]);
  out.ratio = std::exp(best.theta[1]);
  out.signal = best.value.signal;
  out.lml = best.value.lml;
  out.evaluations = evaluations;
  const double span = box.hi[0] - box.lo[0];
  out.length_scale_on_bound =
      best.theta[0] <= box.lo[0] + 1e-6 * span || best.theta[0] >= box.hi[0] - 1e-6 * span;
  return out;
}

}  // namespace nasctl::predict::detail
