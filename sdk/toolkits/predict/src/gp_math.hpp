// The linear algebra behind GaussianProcess (private to the library): kernel
// matrices, the log marginal likelihood and its gradient, the Cholesky
// factor, batch posteriors. LibTorch in double does the work; this header
// keeps torch types out so only gp_math.cpp compiles torch headers.
//
// Notation: C = kernel correlation matrix of the training rows (unit
// diagonal), g = noise variance / signal variance, A = C + g I. The
// covariance of the standardised targets is s A, s = signal variance.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "nasctl/predict/gaussian_process.hpp"

namespace nasctl::predict::detail {

// Scaled training rows (n x d, row-major) and standardised targets.
struct GpTrainingSet {
  std::size_t n = 0;
  std::size_t d = 0;
  const std::vector<double>* x = nullptr;
  const std::vector<double>* y = nullptr;
};

// The marginal likelihood of one training set, for the hyper-parameter
// search: pairwise distances are computed once and reused by every call.
class GpLikelihood {
 public:
  GpLikelihood(const GpTrainingSet& data, GpKernel kernel);
  ~GpLikelihood();
  GpLikelihood(const GpLikelihood&) = delete;
  GpLikelihood& operator=(const GpLikelihood&) = delete;

  struct Value {
    bool ok = false;         // false: A was not positive definite
    double lml = 0.0;        // with s at its optimum y^T A^-1 y / n
    double signal = 0.0;     // that optimum
    double d_log_length = 0.0;
    double d_log_ratio = 0.0;
  };
  // Profiled log marginal likelihood at (log length-scale, log g); the
  // gradient only when asked (it costs an n x n inverse).
  Value profiled(double log_length, double log_ratio, bool gradient) const;
  // Log marginal likelihood at explicit hyper-parameters; -inf when the
  // covariance is not positive definite.
  double full(const GpHyperparameters& hp) const;
  // Median distance between distinct training rows (1 when all coincide).
  double median_distance() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Lower Cholesky factor of A (n x n, row-major) and A^-1 y. Throws
// PredictError when A stays indefinite after adding jitter.
struct GpFactor {
  std::vector<double> chol;
  std::vector<double> alpha;
};
GpFactor gp_factorise(const GpTrainingSet& data, GpKernel kernel, double length_scale, double ratio);

// Posterior mean and variance of the standardised latent function at m
// scaled query rows (m x d, row-major).
void gp_posterior(const GpTrainingSet& data, const GpFactor& factor, GpKernel kernel, double length_scale,
                  double signal_variance, const std::vector<double>& queries, std::size_t m, std::vector<double>& mean,
                  std::vector<double>& variance);

}  // namespace nasctl::predict::detail
