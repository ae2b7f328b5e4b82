// Points copied into one contiguous row-major buffer. The algorithms touch
// every coordinate many times; one allocation instead of one per point keeps
// them in cache and lets the recursive ones build sub-sets cheaply.
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::moo::detail {

struct FlatRows {
  std::size_t objectives = 0;
  std::vector<double> values;  // row i is values[i * objectives, (i + 1) * objectives)

  std::size_t size() const { return objectives == 0 ? 0 : values.size() / objectives; }
  const double* row(std::size_t i) const { return values.data() + i * objectives; }
};

inline FlatRows flatten(const Points& points, const std::vector<std::size_t>& indices,
                        std::size_t objectives) {
  FlatRows rows{objectives, {}};
  rows.values.reserve(indices.size() * objectives);
  for (std::size_t index : indices) {
    rows.values.insert(rows.values.end(), points[index].begin(), points[index].end());
  }
  return rows;
}

// Row indices ordered lexicographically (first objective, then the second...),
// ties by index so the order is deterministic.
inline std::vector<std::size_t> lexicographic_order(const FlatRows& rows) {
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t m = rows.objectives;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double* ra = rows.row(a);
    const double* rb = rows.row(b);
    for (std::size_t j = 0; j < m; ++j) {
      if (ra[j] != rb[j]) return ra[j] < rb[j];
    }
    return a < b;
  });
  return order;
}

// The rows reordered by `order`.
inline FlatRows permuted(const FlatRows& rows, const std::vector<std::size_t>& order) {
  FlatRows out{rows.objectives, {}};
  out.values.reserve(order.size() * rows.objectives);
  for (std::size_t i : order) {
    out.values.insert(out.values.end(), rows.row(i), rows.row(i) + rows.objectives);
  }
  return out;
}

}  // namespace nasctl::moo::detail
