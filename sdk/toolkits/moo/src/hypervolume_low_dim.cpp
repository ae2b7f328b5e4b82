// Exact hypervolume sweeps for one, two and three objectives.
#include <algorithm>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

#include "hypervolume_kernels.hpp"

namespace nasctl::moo::detail {
namespace {

// A 2-D staircase: the non-dominated (x, y) points seen so far, x ascending
// and therefore y strictly descending, plus the area they dominate.
class Staircase {
 public:
  Staircase(double reference_x, double reference_y)
      : reference_x_(reference_x), reference_y_(reference_y) {}

  double area() const { return area_; }

  // Adds (x, y): the area grows by what (x, y) dominates and the staircase
  // does not; steps (x, y) dominates are removed. Each point is inserted and
  // erased at most once, so n insertions cost O(n log n).
  void insert(double x, double y) {
    auto next = steps_.upper_bound(x);
    double height = reference_y_;  // staircase height just right of x
    if (next != steps_.begin()) {
      const auto at_or_left = std::prev(next);
      if (at_or_left->second <= y) return;  // weakly dominated: adds nothing
      height = at_or_left->second;
    }
    // Walk right over the columns where the new point lies below the
    // staircase, one step at a time, until a step lower than y.
    double left = x;
    while (next != steps_.end() && next->second >= y) {
      area_ += (next->first - left) * (height - y);
      left = next->first;
      height = next->second;
      next = steps_.erase(next);
    }
    const double right = next == steps_.end() ? reference_x_ : next->first;
    area_ += (right - left) * (height - y);
    steps_.insert_or_assign(x, y);  // replaces a dominated step at the same x
  }

 private:
  double reference_x_;
  double reference_y_;
  double area_ = 0.0;
  std::map<double, double> steps_;  // x -> y
};

}  // namespace

double hypervolume_1d(const FlatRows& rows, const double* reference) {
  if (rows.size() == 0) return 0.0;
  return reference[0] - *std::min_element(rows.values.begin(), rows.values.end());
}

double hypervolume_2d(const FlatRows& rows, const double* reference) {
  std::vector<std::pair<double, double>> points(rows.size());
  for (std::size_t i = 0; i < points.size(); ++i) points[i] = {rows.row(i)[0], rows.row(i)[1]};
  std::sort(points.begin(), points.end());
  // In x order each point with a new lowest y adds the strip between its y
  // and the previous lowest one, from its x to the reference.
  double volume = 0.0;
  double lowest_y = reference[1];
  for (const auto& [x, y] : points) {
    if (y >= lowest_y) continue;
    volume += (reference[0] - x) * (lowest_y - y);
    lowest_y = y;
  }
  return volume;
}

double hypervolume_3d(const FlatRows& rows, const double* reference) {
  struct Point3 {
    double x, y, z;
  };
  std::vector<Point3> points(rows.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double* row = rows.row(i);
    points[i] = {row[0], row[1], row[2]};
  }
  if (points.empty()) return 0.0;
  std::sort(points.begin(), points.end(),
            [](const Point3& a, const Point3& b) { return a.z < b.z; });
  // Between two consecutive z values the dominated cross-section is the area
  // of the staircase of the points below: volume is a sum of slabs.
  Staircase staircase(reference[0], reference[1]);
  double volume = 0.0;
  double z = points.front().z;
  for (const Point3& p : points) {
    volume += staircase.area() * (p.z - z);
    z = p.z;
    staircase.insert(p.x, p.y);
  }
  return volume + staircase.area() * (reference[2] - z);
}

}  // namespace nasctl::moo::detail
