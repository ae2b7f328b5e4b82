#include "gp_math.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "nasctl/predict/error.hpp"

namespace nasctl::predict::detail {

namespace {

constexpr double kLog2Pi = 1.8378770664093453;

at::TensorOptions doubles() { return at::TensorOptions().dtype(at::kDouble); }

// Wraps caller-owned memory without copying; every use below only reads it.
at::Tensor view(const std::vector<double>& v, at::IntArrayRef shape) {
  return at::from_blob(const_cast<double*>(v.data()), shape, doubles());
}

at::Tensor rows(const GpTrainingSet& data) {
  return view(*data.x, {static_cast<int64_t>(data.n), static_cast<int64_t>(data.d)});
}

// Squared distances between the rows of a (m x d) and b (n x d).
at::Tensor squared_distances(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor aa = (a * a).sum(1, true);
  const at::Tensor bb = (b * b).sum(1, true).t();
  return (aa + bb - 2.0 * at::matmul(a, b.t())).clamp_min(0.0);
}

at::Tensor correlation(const at::Tensor& d2, GpKernel kernel, double length_scale) {
  if (kernel == GpKernel::Rbf) return at::exp(d2 * (-0.5 / (length_scale * length_scale)));
  const at::Tensor s = at::sqrt(d2) * (std::sqrt(5.0) / length_scale);
  return (1.0 + s + s * s * (1.0 / 3.0)) * at::exp(-s);
}

// The correlation and its derivative by log length-scale from precomputed
// squared distances (rbf) or distances (matern52), sharing one exp().
std::pair<at::Tensor, at::Tensor> correlation_and_gradient(const at::Tensor& d2, const at::Tensor& dist,
                                                           GpKernel kernel, double length_scale, bool gradient) {
  if (kernel == GpKernel::Rbf) {
    const at::Tensor q = d2 * (1.0 / (length_scale * length_scale));
    at::Tensor c = at::exp(-0.5 * q);
    if (!gradient) return {c, {}};
    at::Tensor dc = c * q;
    return {c, dc};
  }
  const at::Tensor s = dist * (std::sqrt(5.0) / length_scale);
  const at::Tensor e = at::exp(-s);
  const at::Tensor poly = 1.0 + s + s * s * (1.0 / 3.0);
  at::Tensor c = poly * e;
  if (!gradient) return {c, {}};
  // d/dlog l of (1 + s + s^2/3) e^-s with ds/dlog l = -s: (s^2/3)(1 + s) e^-s.
  at::Tensor dc = (s * s * (1.0 / 3.0)) * (1.0 + s) * e;
  return {c, dc};
}

// Lower Cholesky factor, or an undefined tensor when `a` is not positive definite.
at::Tensor lower_cholesky(const at::Tensor& a) {
  auto [l, info] = at::linalg_cholesky_ex(a, /*upper=*/false, /*check_errors=*/false);
  if (info.item<int>() != 0) return {};
  return l;
}

std::vector<double> to_vector(const at::Tensor& t) {
  const at::Tensor c = t.contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

}  // namespace

struct GpLikelihood::Impl {
  GpKernel kernel;
  int64_t n;
  at::Tensor d2;    // n x n squared distances, exact zero diagonal
  at::Tensor dist;  // their square roots (matern52)
  at::Tensor y;   // n x 1
  at::Tensor eye;
};

GpLikelihood::GpLikelihood(const GpTrainingSet& data, GpKernel kernel) : impl_(std::make_unique<Impl>()) {
  const at::Tensor x = rows(data);
  impl_->kernel = kernel;
  impl_->n = static_cast<int64_t>(data.n);
  impl_->d2 = squared_distances(x, x);
  impl_->d2.fill_diagonal_(0.0);
  impl_->dist = at::sqrt(impl_->d2);
  impl_->y = view(*data.y, {impl_->n, 1}).clone();
  impl_->eye = at::eye(impl_->n, doubles());
}

GpLikelihood::~GpLikelihood() = default;

GpLikelihood::Value GpLikelihood::profiled(double log_length, double log_ratio, bool gradient) const {
  const Impl& m = *impl_;
  const double length = std::exp(log_length), ratio = std::exp(log_ratio);
  const double n = static_cast<double>(m.n);
  const auto [c, dc] = correlation_and_gradient(m.d2, m.dist, m.kernel, length, gradient);
  const at::Tensor l = lower_cholesky(c + ratio * m.eye);
  Value v;
  if (!l.defined()) return v;
  const at::Tensor alpha = at::cholesky_solve(m.y, l, /*upper=*/false);
  const double y_alpha = (m.y * alpha).sum().item<double>();
  if (!(y_alpha > 0.0)) return v;
  const double log_det = 2.0 * at::log(l.diagonal()).sum().item<double>();
  v.ok = true;
  v.signal = y_alpha / n;
  v.lml = -0.5 * n * std::log(v.signal) - 0.5 * log_det - 0.5 * n * (1.0 + kLog2Pi);
  if (!gradient) return v;
  // d lml / d theta = (n/2) a^T dA a / (y^T a) - tr(A^-1 dA) / 2, a = A^-1 y.
  const at::Tensor inverse = at::cholesky_inverse(l, /*upper=*/false);
  const double a_dc_a = at::matmul(alpha.t(), at::matmul(dc, alpha)).item<double>();
  v.d_log_length = 0.5 * n * a_dc_a / y_alpha - 0.5 * (inverse * dc).sum().item<double>();
  v.d_log_ratio = 0.5 * n * ratio * (alpha * alpha).sum().item<double>() / y_alpha -
                  0.5 * ratio * inverse.diagonal().sum().item<double>();
  return v;
}

double GpLikelihood::full(const GpHyperparameters& hp) const {
  const Impl& m = *impl_;
  const at::Tensor c = correlation_and_gradient(m.d2, m.dist, m.kernel, hp.length_scale, false).first;
  const at::Tensor k = hp.signal_variance * c + hp.noise_variance * m.eye;
  const at::Tensor l = lower_cholesky(k);
  if (!l.defined()) return -std::numeric_limits<double>::infinity();
  const at::Tensor alpha = at::cholesky_solve(m.y, l, /*upper=*/false);
  const double fit = (m.y * alpha).sum().item<double>();
  const double log_det = 2.0 * at::log(l.diagonal()).sum().item<double>();
  return -0.5 * fit - 0.5 * log_det - 0.5 * static_cast<double>(m.n) * kLog2Pi;
}

double GpLikelihood::median_distance() const {
  const Impl& m = *impl_;
  // Upper triangle without the diagonal: each distinct pair once.
  const at::Tensor mask = at::ones({m.n, m.n}, at::TensorOptions().dtype(at::kBool)).triu(1);
  std::vector<double> d = to_vector(m.d2.masked_select(mask));
  d.erase(std::remove(d.begin(), d.end(), 0.0), d.end());
  if (d.empty()) return 1.0;
  auto mid = d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2);
  std::nth_element(d.begin(), mid, d.end());
  return std::sqrt(*mid);
}

GpFactor gp_factorise(const GpTrainingSet& data, GpKernel kernel, double length_scale, double ratio) {
  const at::Tensor x = rows(data);
  at::Tensor d2 = squared_distances(x, x);
  d2.fill_diagonal_(0.0);
  const auto n = static_cast<int64_t>(data.n);
  const at::Tensor c = correlation(d2, kernel, length_scale);
  const at::Tensor eye = at::eye(n, doubles());
  // Jitter only when the requested noise leaves A numerically indefinite
  // (near-duplicate rows with a tiny noise floor).
  double jitter = 0.0;
  for (int attempt = 0; attempt < 6; ++attempt) {
    const at::Tensor l = lower_cholesky(c + (ratio + jitter) * eye);
    if (l.defined()) {
      const at::Tensor alpha = at::cholesky_solve(view(*data.y, {n, 1}), l, /*upper=*/false);
      return {to_vector(l), to_vector(alpha)};
    }
    jitter = jitter == 0.0 ? 1e-8 : jitter * 100.0;
  }
  throw PredictError("gp: the kernel matrix of " + std::to_string(data.n) +
                     " samples is not positive definite even with jitter; fix: remove duplicate or non-finite rows");
}

void gp_posterior(const GpTrainingSet& data, const GpFactor& factor, GpKernel kernel, double length_scale,
                  double signal_variance, const std::vector<double>& queries, std::size_t m, std::vector<double>& mean,
                  std::vector<double>& variance) {
  const auto n = static_cast<int64_t>(data.n);
  const at::Tensor q = view(queries, {static_cast<int64_t>(m), static_cast<int64_t>(data.d)});
  const at::Tensor cq = correlation(squared_distances(q, rows(data)), kernel, length_scale);  // m x n
  const at::Tensor l = view(factor.chol, {n, n});
  const at::Tensor mu = at::matmul(cq, view(factor.alpha, {n, 1})).reshape({-1});
  const at::Tensor v = at::linalg_solve_triangular(l, cq.t(), /*upper=*/false, /*left=*/true);
  const at::Tensor var = (signal_variance * (1.0 - (v * v).sum(0))).clamp_min(0.0);
  mean = to_vector(mu);
  variance = to_vector(var);
}

}  // namespace nasctl::predict::detail
