// Hyper-parameter search of GaussianProcess (private to the library): the
// profiled log marginal likelihood over (log length-scale, log noise ratio),
// a fixed grid then box-bounded BFGS from the best grid points.
#pragma once

#include "gp_math.hpp"
#include "nasctl/predict/gaussian_process.hpp"

namespace nasctl::predict::detail {

struct GpOptimum {
  double length_scale = 1.0;
  double ratio = 1e-2;   // noise variance / signal variance
  double signal = 1.0;   // signal variance at the optimum
  double lml = 0.0;
  int evaluations = 0;
  bool length_scale_on_bound = false;
};

// `median` is the median distance between training rows: the grid and the
// bounds of the length-scale are relative to it, so they suit any encoding.
GpOptimum maximise_likelihood(const GpLikelihood& likelihood, const GpOptions& options, double median);

}  // namespace nasctl::predict::detail
