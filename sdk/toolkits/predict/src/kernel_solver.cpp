#include "kernel_solver.hpp"

#include <ATen/ATen.h>

#include <algorithm>

namespace nasctl::predict::detail {

KernelSolver::KernelSolver(const std::vector<double>& kernel, std::size_t n, const std::vector<double>& y)
    : n_(n), y_(y) {
  const auto size = static_cast<int64_t>(n);
  const auto options = at::TensorOptions().dtype(at::kDouble);
  // from_blob does not copy and wants a mutable pointer; the tensor is only read.
  const at::Tensor k = at::from_blob(const_cast<double*>(kernel.data()), {size, size}, options);
  const auto [w, q] = at::linalg_eigh(k, "L");
  const at::Tensor wc = w.contiguous();
  const at::Tensor qc = q.contiguous();
  eigenvalues_.assign(wc.data_ptr<double>(), wc.data_ptr<double>() + size);
  eigenvectors_.assign(qc.data_ptr<double>(), qc.data_ptr<double>() + size * size);
  // A kernel matrix is positive semi-definite; rounding can leave tiny
  // negative eigenvalues, which would make w + lambda vanish for small lambda.
  for (double& v : eigenvalues_) v = std::max(v, 0.0);
  squared_.resize(eigenvectors_.size());
  for (std::size_t i = 0; i < eigenvectors_.size(); ++i) squared_[i] = eigenvectors_[i] * eigenvectors_[i];
  projected_.assign(n_, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    const double* row = eigenvectors_.data() + i * n_;
    for (std::size_t k = 0; k < n_; ++k) projected_[k] += row[k] * y_[i];
  }
}

std::vector<double> KernelSolver::coefficients(double lambda) const {
  std::vector<double> scaled(n_);
  for (std::size_t k = 0; k < n_; ++k) scaled[k] = projected_[k] / (eigenvalues_[k] + lambda);
  std::vector<double> alpha(n_, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    const double* row = eigenvectors_.data() + i * n_;
    double a = 0.0;
    for (std::size_t k = 0; k < n_; ++k) a += row[k] * scaled[k];
    alpha[i] = a;
  }
  return alpha;
}

void KernelSolver::leave_one_out(double lambda, std::vector<double>& alpha, std::vector<double>& loo) const {
  alpha = coefficients(lambda);
  std::vector<double> inverse(n_);
  for (std::size_t k = 0; k < n_; ++k) inverse[k] = 1.0 / (eigenvalues_[k] + lambda);
  loo.assign(n_, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    const double* row = squared_.data() + i * n_;
    double h = 0.0;
    for (std::size_t k = 0; k < n_; ++k) h += row[k] * inverse[k];
    loo[i] = y_[i] - alpha[i] / h;
  }
}

}  // namespace nasctl::predict::detail
