// WFG hypervolume (While, Bradstreet & Barone, IEEE TEC 2012) for four or
// more objectives.
//
// The volume of a set is the sum of each point's exclusive volume against
// the points after it: V(p1..pn) = sum_k [box(pk) - V(limit_k)], where
// limit_k = {max(pk, pj) : j > k} is the part of the later points' volume that
// falls inside pk's box. Ordering the points by the last objective, worst
// first, gives every point of limit_k the last coordinate of pk, so
// V(limit_k) is a prism: (reference_last - pk_last) times a hypervolume in
// one objective fewer. The recursion thus ends in the exact 3-D sweep.
#include <algorithm>
#include <numeric>
#include <vector>

#include "hypervolume_kernels.hpp"

namespace nasctl::moo::detail {
namespace {

double sliced_hypervolume(const FlatRows& rows, const double* reference) {
  const std::size_t m = rows.objectives;
  const std::size_t n = rows.size();

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return rows.row(a)[m - 1] > rows.row(b)[m - 1]; });
  const FlatRows sorted = permuted(rows, order);

  const std::size_t base = m - 1;  // objectives left after slicing
  FlatRows limit{base, {}};
  limit.values.reserve(n * base);
  double volume = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double* p = sorted.row(k);
    double box = 1.0;
    for (std::size_t i = 0; i < base; ++i) box *= reference[i] - p[i];

    limit.values.clear();
    for (std::size_t j = k + 1; j < n; ++j) {
      const double* q = sorted.row(j);
      for (std::size_t i = 0; i < base; ++i) limit.values.push_back(std::max(p[i], q[i]));
    }
    double covered = 0.0;
    if (!limit.values.empty()) {
      // The 3-D sweep ignores dominated rows by itself; above it, pruning
      // them keeps the recursion small.
      covered = base <= 3 ? exact_hypervolume(limit, reference)
                          : sliced_hypervolume(nondominated_rows(limit), reference);
    }
    volume += (reference[m - 1] - p[m - 1]) * (box - covered);
  }
  return volume;
}

}  // namespace

FlatRows nondominated_rows(const FlatRows& rows) {
  const std::size_t m = rows.objectives;
  // In lexicographic order no row is weakly dominated by a later one, so a
  // kept row is never evicted.
  std::vector<std::size_t> kept;
  for (std::size_t i : lexicographic_order(rows)) {
    const double* p = rows.row(i);
    const bool dominated = std::any_of(kept.rbegin(), kept.rend(), [&](std::size_t j) {
      const double* q = rows.row(j);
      for (std::size_t o = 0; o < m; ++o) {
        if (q[o] > p[o]) return false;
      }
      return true;
    });
    if (!dominated) kept.push_back(i);
  }
  return permuted(rows, kept);
}

double hypervolume_wfg(const FlatRows& rows, const double* reference) {
  return sliced_hypervolume(nondominated_rows(rows), reference);
}

}  // namespace nasctl::moo::detail
