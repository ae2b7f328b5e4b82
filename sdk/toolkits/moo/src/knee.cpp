#include "nasctl/moo/knee.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nasctl::moo {

std::size_t knee_point(const Points& front) {
  if (front.empty()) throw std::invalid_argument("knee_point: empty set of points");
  const std::size_t m = front.front().size();
  std::vector<double> lo(m, INFINITY), hi(m, -INFINITY);
  for (const Point& p : front) {
    if (p.size() != m) throw std::invalid_argument("knee_point: points have different numbers of objectives");
    for (std::size_t k = 0; k < m; ++k) {
      if (!std::isfinite(p[k])) throw std::invalid_argument("knee_point: an objective is not finite");
      lo[k] = std::min(lo[k], p[k]);
      hi[k] = std::max(hi[k], p[k]);
    }
  }
  std::size_t best = 0;
  double best_score = -INFINITY;
  for (std::size_t i = 0; i < front.size(); ++i) {
    double sum = 0.0;
    for (std::size_t k = 0; k < m; ++k) sum += hi[k] > lo[k] ? (front[i][k] - lo[k]) / (hi[k] - lo[k]) : 0.0;
    const double score = 1.0 - sum;  // sqrt(m) times the signed distance from the hyperplane
    if (score > best_score) {
      best_score = score;
      best = i;
    }
  }
  return best;
}

}  // namespace nasctl::moo
