#include "nasctl/moo/hypervolume.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "hypervolume_kernels.hpp"
#include "input_checks.hpp"

namespace nasctl::moo {
namespace {

struct Inside {
  std::vector<std::size_t> indices;  // into the caller's points
  detail::FlatRows rows;             // their coordinates, same order
};

// Checks the arguments and keeps the points that strictly dominate the
// reference: only they enclose volume.
Inside points_inside(const Points& points, const Point& reference, const char* caller) {
  const std::size_t m = detail::checked_objective_count(points, caller);
  if (points.empty()) return {{}, {0, {}}};
  if (m == 0) {
    throw std::invalid_argument(std::string(caller) +
                                ": the points have no objectives; fix: give each point at "
                                "least one objective value");
  }
  detail::check_reference(reference, m, caller);
  Inside inside;
  for (std::size_t i = 0; i < points.size(); ++i) {
    bool strictly_inside = true;
    for (std::size_t o = 0; o < m; ++o) {
      if (std::isinf(points[i][o]) && points[i][o] < 0.0) {
        throw std::invalid_argument(std::string(caller) + ": point " + std::to_string(i) +
                                    ", objective " + std::to_string(o) +
                                    " is -inf, so the volume would be infinite; fix: bound "
                                    "the objective or drop the point");
      }
      strictly_inside = strictly_inside && points[i][o] < reference[o];
    }
    if (strictly_inside) inside.indices.push_back(i);
  }
  inside.rows = detail::flatten(points, inside.indices, m);
  return inside;
}

// Two objectives, O(n log n). Only staircase points (non-dominated, one
// copy each) own volume. Staircase point k alone covers the rectangle from
// its own corner to (x of the next step, y of the previous step), or the
// reference where there is no such step; the points it dominates that fall in
// that rectangle (duplicates included) cover part of it. Each dominated point
// falls in the rectangle of the last step at or left of it, so grouping them
// by step and sweeping each group once costs O(n log n) in all.
std::vector<double> contributions_2d(const Inside& inside, const Point& reference,
                                     std::size_t point_count) {
  struct Entry {
    double x, y;
    std::size_t index;  // into the caller's points
  };
  std::vector<Entry> sorted;
  sorted.reserve(inside.indices.size());
  for (std::size_t r = 0; r < inside.indices.size(); ++r) {
    sorted.push_back({inside.rows.row(r)[0], inside.rows.row(r)[1], inside.indices[r]});
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Entry& a, const Entry& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });

  std::vector<Entry> steps;
  std::vector<std::vector<Entry>> shadowed_by_step;  // x ascending within each
  for (const Entry& entry : sorted) {
    if (steps.empty() || entry.y < steps.back().y) {
      steps.push_back(entry);
      shadowed_by_step.emplace_back();
      continue;
    }
    // In (x, y) order the last step so far is the last one at or left of entry.
    shadowed_by_step.back().push_back(entry);
  }

  std::vector<double> contribution(point_count, 0.0);
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const double right = k + 1 < steps.size() ? steps[k + 1].x : reference[0];
    const double top = k > 0 ? steps[k - 1].y : reference[1];
    double covered = 0.0;
    double lowest_y = top;
    for (const Entry& entry : shadowed_by_step[k]) {
      if (entry.y >= lowest_y) continue;
      covered += (right - entry.x) * (lowest_y - entry.y);
      lowest_y = entry.y;
    }
    const double owned = (right - steps[k].x) * (top - steps[k].y) - covered;
    contribution[steps[k].index] = std::max(0.0, owned);
  }
  return contribution;
}

// Any number of objectives: a point's contribution is its box minus the
// volume the other points cover inside that box, i.e. the hypervolume of
// {max(p, q)}. A point another one weakly dominates owns nothing.
std::vector<double> contributions_by_limit_sets(const Inside& inside, const Point& reference,
                                                std::size_t point_count) {
  const detail::FlatRows& rows = inside.rows;
  const std::size_t m = rows.objectives;
  std::vector<double> contribution(point_count, 0.0);
  detail::FlatRows limit{m, {}};
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const double* p = rows.row(k);
    limit.values.clear();
    bool shadowed = false;
    for (std::size_t j = 0; j < rows.size() && !shadowed; ++j) {
      if (j == k) continue;
      const double* q = rows.row(j);
      shadowed = true;
      for (std::size_t o = 0; o < m; ++o) {
        limit.values.push_back(std::max(p[o], q[o]));
        shadowed = shadowed && q[o] <= p[o];
      }
    }
    if (shadowed) continue;
    double box = 1.0;
    for (std::size_t o = 0; o < m; ++o) box *= reference[o] - p[o];
    const double covered = detail::exact_hypervolume(limit, reference.data());
    // box - covered can round to a hair below zero.
    contribution[inside.indices[k]] = std::max(0.0, box - covered);
  }
  return contribution;
}

}  // namespace

namespace detail {

double exact_hypervolume(const FlatRows& rows, const double* reference) {
  if (rows.size() == 0) return 0.0;
  switch (rows.objectives) {
    case 1:
      return hypervolume_1d(rows, reference);
    case 2:
      return hypervolume_2d(rows, reference);
    case 3:
      return hypervolume_3d(rows, reference);
    default:
      return hypervolume_wfg(rows, reference);
  }
}

}  // namespace detail

double hypervolume(const Points& points, const Point& reference) {
  const Inside inside = points_inside(points, reference, "hypervolume");
  return detail::exact_hypervolume(inside.rows, reference.data());
}

std::vector<double> hypervolume_contributions(const Points& points, const Point& reference) {
  const Inside inside = points_inside(points, reference, "hypervolume_contributions");
  if (inside.rows.objectives == 2) return contributions_2d(inside, reference, points.size());
  return contributions_by_limit_sets(inside, reference, points.size());
}

}  // namespace nasctl::moo
