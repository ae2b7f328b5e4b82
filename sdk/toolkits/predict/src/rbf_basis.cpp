#include "rbf_basis.hpp"

#include <algorithm>
#include <cmath>

namespace nasctl::predict::detail {

std::vector<double> rbf_feature_weights(const FeatureRows& x, bool normalize) {
  const std::size_t d = x.front().size();
  std::vector<double> weights(d, 0.0);
  for (std::size_t j = 0; j < d; ++j) {
    double lo = x.front()[j], hi = lo;
    for (const auto& row : x) {
      lo = std::min(lo, row[j]);
      hi = std::max(hi, row[j]);
    }
    if (!(hi > lo)) continue;  // constant: cannot tell samples apart
    weights[j] = normalize ? 1.0 / ((hi - lo) * (hi - lo)) : 1.0;
  }
  return weights;
}

RbfBasis::RbfBasis(std::vector<double> rows, std::size_t features, std::vector<double> weights)
    : samples_(features ? rows.size() / features : 0),
      features_(features),
      rows_(std::move(rows)),
      weights_(std::move(weights)),
      columns_(features_ * samples_, 0.0),
      norms_(samples_, 0.0) {
  for (std::size_t i = 0; i < samples_; ++i) {
    const double* row = rows_.data() + i * features_;
    double norm = 0.0;
    for (std::size_t j = 0; j < features_; ++j) {
      const double wx = weights_[j] * row[j];
      columns_[j * samples_ + i] = wx;
      norm += wx * row[j];
    }
    norms_[i] = norm;
  }
}

void RbfBasis::squared_distances(const double* x, std::vector<double>& out) const {
  out.assign(samples_, 0.0);
  double query = 0.0;
  for (std::size_t j = 0; j < features_; ++j) {
    const double v = x[j];
    if (v == 0.0 || weights_[j] == 0.0) continue;
    query += weights_[j] * v * v;
    const double* column = columns_.data() + j * samples_;
    for (std::size_t i = 0; i < samples_; ++i) out[i] += v * column[i];
  }
  for (std::size_t i = 0; i < samples_; ++i) out[i] = std::max(0.0, query + norms_[i] - 2.0 * out[i]);
}

std::vector<double> RbfBasis::pairwise_squared_distances() const {
  const std::size_t n = samples_;
  std::vector<double> d2(n * n, 0.0);
  std::vector<double> row;
  for (std::size_t i = 0; i < n; ++i) {
    squared_distances(rows_.data() + i * features_, row);
    for (std::size_t k = 0; k < n; ++k) d2[i * n + k] = row[k];
  }
  // Exact symmetry and a zero diagonal (the expansion leaves rounding residue).
  for (std::size_t i = 0; i < n; ++i) {
    d2[i * n + i] = 0.0;
    for (std::size_t k = i + 1; k < n; ++k) {
      const double v = 0.5 * (d2[i * n + k] + d2[k * n + i]);
      d2[i * n + k] = d2[k * n + i] = v;
    }
  }
  return d2;
}

double median_nonzero_distance(const std::vector<double>& pairwise_squared, std::size_t n) {
  std::vector<double> distances;
  distances.reserve(n * (n - 1) / 2);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = i + 1; k < n; ++k) {
      const double v = pairwise_squared[i * n + k];
      if (v > 0.0) distances.push_back(v);
    }
  }
  if (distances.empty()) return 0.0;
  const auto middle = distances.begin() + static_cast<std::ptrdiff_t>(distances.size() / 2);
  std::nth_element(distances.begin(), middle, distances.end());
  return std::sqrt(*middle);
}

}  // namespace nasctl::predict::detail
