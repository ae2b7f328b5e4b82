#include "ridge_solver.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace nasctl::predict::detail {

double LinearModel::operator()(const std::vector<double>& x) const {
  double y = intercept;
  for (std::size_t j = 0; j < coefficients.size(); ++j) y += coefficients[j] * x[j];
  return y;
}

RidgeSolver::RidgeSolver(const FeatureRows& x, const std::vector<double>& y, const std::vector<std::size_t>& rows,
                         bool standardize)
    : features_(x.front().size()), mean_(features_, 0.0), scale_(features_, 1.0), constant_(features_, false) {
  const std::size_t n = rows.size();
  const double inv_n = 1.0 / static_cast<double>(n);
  for (std::size_t i : rows) y_mean_ += y[i] * inv_n;

  // Means and standard deviations in plain loops: a feature whose values are
  // all equal must come out exactly constant (scale 1, column of zeros), which
  // a floating-point mean of equal values does not guarantee.
  for (std::size_t j = 0; j < features_; ++j) {
    const double first = x[rows.front()][j];
    bool constant = true;
    double mean = 0.0;
    for (std::size_t i : rows) {
      constant = constant && x[i][j] == first;
      mean += x[i][j] * inv_n;
    }
    if (constant) {
      mean_[j] = first;
      constant_[j] = true;
      continue;
    }
    mean_[j] = mean;
    if (!standardize) continue;
    double var = 0.0;
    for (std::size_t i : rows) var += (x[i][j] - mean) * (x[i][j] - mean) * inv_n;
    if (var > 0.0) scale_[j] = std::sqrt(var);
  }

  // Z: centred (and scaled) features, row-major n x d; b = Z^T (y - mean y).
  std::vector<double> z(n * features_);
  std::vector<double> b(features_, 0.0);
  for (std::size_t r = 0; r < n; ++r) {
    const auto& row = x[rows[r]];
    const double centred_y = y[rows[r]] - y_mean_;
    for (std::size_t j = 0; j < features_; ++j) {
      const double v = (row[j] - mean_[j]) / scale_[j];
      z[r * features_ + j] = v;
      b[j] += v * centred_y;
    }
  }

  const auto d = static_cast<int64_t>(features_);
  const auto options = at::TensorOptions().dtype(at::kDouble);
  const at::Tensor zt = at::from_blob(z.data(), {static_cast<int64_t>(n), d}, options);
  const at::Tensor gram = at::matmul(zt.t(), zt);
  const auto [w, q] = at::linalg_eigh(gram, "L");
  const at::Tensor bt = at::from_blob(b.data(), {d}, options);
  const at::Tensor projected = at::matmul(q.t(), bt).contiguous();
  const at::Tensor wc = w.contiguous();
  const at::Tensor qc = q.contiguous();

  eigenvalues_.assign(wc.data_ptr<double>(), wc.data_ptr<double>() + d);
  eigenvectors_.assign(qc.data_ptr<double>(), qc.data_ptr<double>() + d * d);
  projected_.assign(projected.data_ptr<double>(), projected.data_ptr<double>() + d);
}

LinearModel RidgeSolver::solve(double lambda) const {
  const std::size_t d = features_;
  // Directions the data does not span (eigenvalue ~0, e.g. one-hot columns
  // that sum to one) get no weight: with lambda > 0 they would get ~0 anyway,
  // with lambda = 0 this is the minimum-norm least-squares solution.
  const double largest = eigenvalues_.empty() ? 0.0 : std::max(eigenvalues_.back(), 0.0);
  const double floor = 1e-12 * std::max(largest, 1.0);
  std::vector<double> alpha(d, 0.0);
  for (std::size_t k = 0; k < d; ++k) {
    const double denom = eigenvalues_[k] + lambda;
    if (denom > floor) alpha[k] = projected_[k] / denom;
  }
  LinearModel model;
  model.coefficients.assign(d, 0.0);
  model.intercept = y_mean_;
  for (std::size_t j = 0; j < d; ++j) {
    double beta = 0.0;
    const double* qrow = eigenvectors_.data() + j * d;
    for (std::size_t k = 0; k < d; ++k) beta += qrow[k] * alpha[k];
    // A constant feature's column is exactly zero, so any weight it got is
    // rounding in the eigenvectors (which differs between LAPACK builds).
    model.coefficients[j] = constant_[j] ? 0.0 : beta / scale_[j];
    model.intercept -= model.coefficients[j] * mean_[j];
  }
  return model;
}

}  // namespace nasctl::predict::detail
