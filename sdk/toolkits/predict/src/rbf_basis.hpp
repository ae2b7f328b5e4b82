// The training set of an RBF kernel model, arranged for fast kernel rows
// (private to the library). Squared distances are weighted per feature,
//   d2(x, x_i) = sum_j w_j (x_j - x_ij)^2,
// with w_j = 1 / range_j^2 (normalised) or 1 (raw), and w_j = 0 for a feature
// constant on the training set (it cannot tell samples apart; a ridge model
// gives it no coefficient either). The expansion
//   d2 = sum_j w_j x_j^2 + |x_i|_w^2 - 2 sum_j x_j (w_j x_ij)
// only visits the non-zero features of the query, so an architecture
// encoding (one-hot: a few dozen ones among hundreds of zeros) costs
// O(nonzeros x samples) instead of O(features x samples).
#pragma once

#include <cstddef>
#include <vector>

#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict::detail {

// Feature weights of a training set: 1 / (max - min)^2 (normalize) or 1, and
// 0 for constant features.
std::vector<double> rbf_feature_weights(const FeatureRows& x, bool normalize);

class RbfBasis {
 public:
  RbfBasis() = default;
  // rows: training samples (n x d, row-major); weights: d entries.
  RbfBasis(std::vector<double> rows, std::size_t features, std::vector<double> weights);

  std::size_t samples() const { return samples_; }
  std::size_t features() const { return features_; }
  const std::vector<double>& rows() const { return rows_; }
  const std::vector<double>& weights() const { return weights_; }

  // Squared weighted distances from x (features() values) to every training
  // sample, written to out (resized to samples()); never negative.
  void squared_distances(const double* x, std::vector<double>& out) const;

  // All pairwise squared distances of the training samples (n x n, row-major,
  // zero diagonal, symmetric).
  std::vector<double> pairwise_squared_distances() const;

 private:
  std::size_t samples_ = 0;
  std::size_t features_ = 0;
  std::vector<double> rows_;      // n x d
  std::vector<double> weights_;   // d
  std::vector<double> columns_;   // d x n: w_j * x_ij, column j contiguous
  std::vector<double> norms_;     // n: sum_j w_j x_ij^2
};

// Median of the non-zero pairwise distances (not squared) of the training
// samples: the natural unit of an RBF length-scale. 0 when every pair of
// samples is at distance 0.
double median_nonzero_distance(const std::vector<double>& pairwise_squared, std::size_t n);

}  // namespace nasctl::predict::detail
