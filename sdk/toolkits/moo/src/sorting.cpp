#include "nasctl/moo/sorting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "flat_rows.hpp"
#include "input_checks.hpp"

namespace nasctl::moo {
namespace {

using detail::FlatRows;

// pareto_front() needs only front 0; points that would open a later front are
// dropped instead of ranked.
constexpr std::size_t kAllFronts = std::numeric_limits<std::size_t>::max();

// Both sorts below visit points in lexicographic order, so a point can only
// be dominated by points visited before it. That makes "is p dominated by
// front k" monotone in k (a dominator in front k+1 is itself dominated by
// front k), so the front of p is found by binary search over the fronts.

// Two objectives. Within a front, visiting order has x ascending and y
// strictly descending (duplicates aside), so the last member added has the
// smallest y and dominates p iff any member does: it came first, so its x is
// no larger, and it dominates p iff (y, x) of it is lexicographically below
// (y, x) of p. One comparison per front: O(n log n) overall.
Fronts sort_two_objectives(const FlatRows& rows, std::size_t max_fronts) {
  Fronts fronts;
  std::vector<const double*> last_member;
  for (std::size_t i : detail::lexicographic_order(rows)) {
    const double* p = rows.row(i);
    const auto first_not_dominating = std::partition_point(
        last_member.begin(), last_member.end(),
        [p](const double* q) { return q[1] < p[1] || (q[1] == p[1] && q[0] < p[0]); });
    const auto k = static_cast<std::size_t>(first_not_dominating - last_member.begin());
    if (k == fronts.size()) {
      if (k >= max_fronts) continue;
      fronts.emplace_back();
      last_member.emplace_back();
    }
    last_member[k] = p;
    fronts[k].push_back(i);
  }
  return fronts;
}

// True when q, visited before p in lexicographic order (hence q[0] <= p[0]),
// dominates p. The first objective only decides strictness.
inline bool dominates_later(const double* q, const double* p, std::size_t objectives) {
  bool strictly_better = q[0] < p[0];
  for (std::size_t j = 1; j < objectives; ++j) {
    if (q[j] > p[j]) return false;
    strictly_better = strictly_better || q[j] < p[j];
  }
  return strictly_better;
}

// Any number of objectives (>= 1): ENS-BS (Zhang, Tian, Cheng & Jin 2015).
// Worst case O(m n^2) comparisons when every point is on one front; typical
// sets need far fewer since the binary search skips most fronts.
Fronts sort_any_objectives(const FlatRows& rows, std::size_t max_fronts) {
  const std::vector<std::size_t> order = detail::lexicographic_order(rows);
  const FlatRows sorted = detail::permuted(rows, order);
  const std::size_t m = rows.objectives;
  std::vector<std::vector<std::size_t>> members;  // positions in `sorted`
  for (std::size_t pos = 0; pos < sorted.size(); ++pos) {
    const double* p = sorted.row(pos);
    const auto dominated_by = [&](const std::vector<std::size_t>& front) {
      // Newest members first: lexicographically closest to p, so the
      // likeliest dominators.
      for (auto it = front.rbegin(); it != front.rend(); ++it) {
        if (dominates_later(sorted.row(*it), p, m)) return true;
      }
      return false;
    };
    std::size_t lo = 0;
    std::size_t hi = members.size();
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (dominated_by(members[mid])) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == members.size()) {
      if (lo >= max_fronts) continue;
      members.emplace_back();
    }
    members[lo].push_back(pos);
  }
  Fronts fronts(members.size());
  for (std::size_t k = 0; k < members.size(); ++k) {
    for (std::size_t pos : members[k]) fronts[k].push_back(order[pos]);
  }
  return fronts;
}

// Fronts of row numbers in `rows`, each front in any order.
Fronts sort_rows(const FlatRows& rows, std::size_t max_fronts) {
  if (rows.objectives == 2) return sort_two_objectives(rows, max_fronts);
  return sort_any_objectives(rows, max_fronts);
}

// Row numbers -> indices into the caller's points, ascending in each front.
Fronts to_point_indices(Fronts fronts, const std::vector<std::size_t>& point_of_row) {
  for (auto& front : fronts) {
    for (auto& row : front) row = point_of_row[row];
    std::sort(front.begin(), front.end());
  }
  return fronts;
}

std::vector<std::size_t> all_indices(std::size_t n) {
  std::vector<std::size_t> indices(n);
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  return indices;
}

// Points without objectives are all equal: one front.
Fronts sort_points(const Points& points, const std::vector<std::size_t>& indices,
                   std::size_t objectives, std::size_t max_fronts) {
  if (indices.empty()) return {};
  if (objectives == 0) return {indices};
  return to_point_indices(sort_rows(detail::flatten(points, indices, objectives), max_fronts),
                          indices);
}

void check_violations(const Points& points, const std::vector<double>& violations) {
  if (violations.size() != points.size()) {
    throw std::invalid_argument("non_dominated_fronts: " + std::to_string(violations.size()) +
                                " violations for " + std::to_string(points.size()) +
                                " points; fix: pass one violation per point (0 when feasible)");
  }
  for (std::size_t i = 0; i < violations.size(); ++i) {
    if (std::isnan(violations[i])) {
      throw std::invalid_argument("non_dominated_fronts: violation " + std::to_string(i) +
                                  " is NaN; fix: give a failed constraint check +inf");
    }
  }
}

}  // namespace

Fronts non_dominated_fronts(const Points& points) {
  const std::size_t m = detail::checked_objective_count(points, "non_dominated_fronts");
  return sort_points(points, all_indices(points.size()), m, kAllFronts);
}

Fronts non_dominated_fronts(const Points& points, const std::vector<double>& violations) {
  const std::size_t m = detail::checked_objective_count(points, "non_dominated_fronts");
  check_violations(points, violations);

  std::vector<std::size_t> feasible;
  std::vector<std::size_t> infeasible;
  for (std::size_t i = 0; i < points.size(); ++i) {
    (violations[i] <= 0.0 ? feasible : infeasible).push_back(i);
  }
  Fronts fronts = sort_points(points, feasible, m, kAllFronts);

  // Among infeasible points only the violation matters: equal violations
  // share a front, and each larger violation opens the next one.
  std::stable_sort(infeasible.begin(), infeasible.end(),
                   [&](std::size_t a, std::size_t b) { return violations[a] < violations[b]; });
  for (std::size_t i = 0; i < infeasible.size(); ++i) {
    if (i == 0 || violations[infeasible[i]] != violations[infeasible[i - 1]]) fronts.emplace_back();
    fronts.back().push_back(infeasible[i]);
  }
  return fronts;
}

std::vector<std::size_t> pareto_front(const Points& points) {
  const std::size_t m = detail::checked_objective_count(points, "pareto_front");
  Fronts fronts = sort_points(points, all_indices(points.size()), m, 1);
  if (fronts.empty()) return {};
  return std::move(fronts.front());
}

}  // namespace nasctl::moo
