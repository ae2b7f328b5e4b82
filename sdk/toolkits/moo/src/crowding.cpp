#include "nasctl/moo/crowding.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "input_checks.hpp"

namespace nasctl::moo {

std::vector<double> crowding_distance(const Points& points, const std::vector<std::size_t>& front) {
  const std::size_t m = detail::checked_objective_count(points, front, "crowding_distance");
  const std::size_t n = front.size();
  constexpr double kBoundary = std::numeric_limits<double>::infinity();
  if (n <= 2) return std::vector<double>(n, kBoundary);

  std::vector<double> distance(n, 0.0);
  std::vector<std::size_t> order(n);  // positions in `front`
  for (std::size_t objective = 0; objective < m; ++objective) {
    const auto value = [&](std::size_t pos) { return points[front[pos]][objective]; };
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Ties broken by position so equal values always yield the same
    // boundary point: NSGA-II runs stay reproducible.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return value(a) < value(b) || (value(a) == value(b) && a < b);
    });
    distance[order.front()] = kBoundary;
    distance[order.back()] = kBoundary;
    const double range = value(order.back()) - value(order.front());
    // A constant objective says nothing about spacing, and an infinite range
    // would turn every gap into 0 or NaN.
    if (!(range > 0.0) || !std::isfinite(range)) continue;
    for (std::size_t j = 1; j + 1 < n; ++j) {
      distance[order[j]] += (value(order[j + 1]) - value(order[j - 1])) / range;
    }
  }
  return distance;
}

std::vector<double> crowding_distance(const Points& front) {
  std::vector<std::size_t> everyone(front.size());
  std::iota(everyone.begin(), everyone.end(), std::size_t{0});
  return crowding_distance(front, everyone);
}

}  // namespace nasctl::moo
