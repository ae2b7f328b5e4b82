#include "nasctl/predict/least_squares.hpp"

#include <ATen/ATen.h>

#include <cmath>
#include <string>

#include "nasctl/error.hpp"

namespace nasctl::predict {

std::vector<double> weighted_least_squares(const FeatureRows& x, const std::vector<double>& y,
                                           const std::vector<double>& weights) {
  const std::size_t n = x.size();
  if (n == 0 || x.front().empty()) throw Error("least squares: no rows or no columns; fix: pass at least one of each");
  if (y.size() != n || weights.size() != n)
    throw Error("least squares: " + std::to_string(n) + " rows, " + std::to_string(y.size()) + " targets and " +
                std::to_string(weights.size()) + " weights; fix: pass one target and one weight per row");
  const std::size_t k = x.front().size();
  at::Tensor a = at::empty({static_cast<int64_t>(n), static_cast<int64_t>(k)}, at::kDouble);
  at::Tensor b = at::empty({static_cast<int64_t>(n), 1}, at::kDouble);
  auto A = a.accessor<double, 2>();
  auto B = b.accessor<double, 2>();
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i].size() != k)
      throw Error("least squares: row " + std::to_string(i) + " has " + std::to_string(x[i].size()) +
                  " columns, row 0 has " + std::to_string(k) + "; fix: give every row the same columns");
    if (!(weights[i] > 0) || !std::isfinite(weights[i]))
      throw Error("least squares: weight " + std::to_string(i) + " is " + std::to_string(weights[i]) +
                  "; fix: weights must be finite numbers > 0");
    // sqrt(w) on both sides turns the weighted problem into a plain one.
    const double s = std::sqrt(weights[i]);
    for (std::size_t j = 0; j < k; ++j) A[static_cast<int64_t>(i)][static_cast<int64_t>(j)] = s * x[i][j];
    B[static_cast<int64_t>(i)][0] = s * y[i];
  }
  const at::Tensor solution = std::get<0>(at::linalg_lstsq(a, b, c10::nullopt, "gelsd"));
  std::vector<double> out(k);
  auto S = solution.accessor<double, 2>();
  for (std::size_t j = 0; j < k; ++j) out[j] = S[static_cast<int64_t>(j)][0];
  return out;
}

}  // namespace nasctl::predict
