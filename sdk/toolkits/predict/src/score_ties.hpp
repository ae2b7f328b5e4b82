// Choosing among candidates (hyper-parameters, models) whose scores can tie.
// Scores computed through BLAS/LAPACK round differently with the kernels a
// machine picks (OpenBLAS Haswell vs SkylakeX, MKL), so candidates that are
// equally good to rounding would otherwise be told apart by the machine. A
// candidate counts as best when its score is within a relative tolerance of
// the best score, and among those the caller's preferred one (the simpler,
// smoother or more regularised) wins, on every machine alike.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace nasctl::predict::detail {

// Scores closer than this (relative) are a tie. Far above rounding noise
// (about 1e-12 for these computations, 1e-8 for ill-conditioned kernel
// solves), far below any difference that matters for a model's choice.
constexpr double kScoreTieTolerance = 1e-6;

// Whether `score` (lower is better) is within the tolerance of `lowest`.
inline bool ties_lowest(double score, double lowest) {
  return score <= lowest + kScoreTieTolerance * std::max(std::abs(lowest), 1e-300);
}

// Of scores where lower is better, listed in order of preference, the index
// of the first that ties the lowest; scores.size() when none is finite.
inline std::size_t preferred_lowest(const std::vector<double>& scores) {
  double lowest = INFINITY;
  for (double s : scores) {
    if (std::isfinite(s)) lowest = std::min(lowest, s);
  }
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (std::isfinite(scores[i]) && ties_lowest(scores[i], lowest)) return i;
  }
  return scores.size();
}

}  // namespace nasctl::predict::detail
