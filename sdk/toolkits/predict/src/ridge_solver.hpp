// The linear algebra behind Ridge and RidgeCV (private to the library).
// One symmetric eigendecomposition of the standardised, centred Gram matrix
// G = Z^T Z = Q diag(w) Q^T gives the solution for every lambda cheaply:
//   beta(lambda) = Q diag(1 / (w + lambda)) Q^T Z^T (y - mean y)
// so a lambda grid costs one decomposition per training set. LibTorch does
// the Gram product and the decomposition in double precision; this header
// keeps torch types out so only ridge_solver.cpp compiles torch headers.
#pragma once

#include <cstddef>
#include <vector>

#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict::detail {

struct LinearModel {
  double intercept = 0.0;
  std::vector<double> coefficients;  // raw feature units

  double operator()(const std::vector<double>& x) const;
};

class RidgeSolver {
 public:
  // Uses the samples rows[...] of x and y (validated by the caller).
  RidgeSolver(const FeatureRows& x, const std::vector<double>& y, const std::vector<std::size_t>& rows,
              bool standardize);

  // lambda > 0, or 0 when the Gram matrix is known to be non-singular.
  LinearModel solve(double lambda) const;

 private:
  std::size_t features_ = 0;
  std::vector<double> mean_, scale_;  // per feature; scale 1 for constant features
  std::vector<bool> constant_;        // per feature: the same value in every row
  double y_mean_ = 0.0;
  std::vector<double> eigenvalues_;   // w, ascending
  std::vector<double> eigenvectors_;  // Q, row-major features x features
  std::vector<double> projected_;     // Q^T Z^T (y - mean y)
};

}  // namespace nasctl::predict::detail
