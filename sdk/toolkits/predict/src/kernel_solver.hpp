// The linear algebra behind KernelRidge and KernelRidgeCV (private to the
// library). One symmetric eigendecomposition K = Q diag(w) Q^T of the kernel
// matrix serves every penalty lambda:
//   alpha(lambda) = Q diag(1 / (w + lambda)) Q^T y
// and, since the residual of a kernel ridge fit is lambda * alpha and
// 1 - S_ii = lambda * [(K + lambda I)^-1]_ii, the exact leave-one-out
// residuals come for free:
//   e_i = alpha_i / sum_k Q_ik^2 / (w_k + lambda).
// So a lambda grid costs one decomposition per length-scale plus O(n^2) per
// lambda. LibTorch does the decomposition in double precision; this header
// keeps torch types out so only kernel_solver.cpp compiles torch headers.
#pragma once

#include <cstddef>
#include <vector>

namespace nasctl::predict::detail {

class KernelSolver {
 public:
  // kernel: n x n symmetric, row-major; y: n centred targets.
  KernelSolver(const std::vector<double>& kernel, std::size_t n, const std::vector<double>& y);

  // Dual coefficients alpha = (K + lambda I)^-1 y, for lambda > 0.
  std::vector<double> coefficients(double lambda) const;

  // alpha as above and the leave-one-out predictions of y (centred units),
  // each from the fit on the other n - 1 samples, for lambda > 0.
  void leave_one_out(double lambda, std::vector<double>& alpha, std::vector<double>& loo) const;

 private:
  std::size_t n_ = 0;
  std::vector<double> y_;
  std::vector<double> eigenvalues_;   // w, ascending, clamped at 0
  std::vector<double> eigenvectors_;  // Q, row-major n x n
  std::vector<double> squared_;       // Q_ik^2
  std::vector<double> projected_;     // Q^T y
};

}  // namespace nasctl::predict::detail
