// k-fold cross-validation of any Regressor: out-of-fold predictions for every
// sample and the statistics of those predictions. Model selection (the lambda
// of ridge, later between model families) compares models on the same folds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nasctl/predict/regressor.hpp"
#include "nasctl/predict/statistics.hpp"

namespace nasctl::predict {

// Every fit needs at least this many samples (an intercept, a slope and one
// degree of freedom left to estimate error).
constexpr std::size_t kMinFitSamples = 3;

// Fold (0..folds-1) of each of n samples: a seeded Fisher-Yates shuffle dealt
// round-robin, so fold sizes differ by at most one and the split depends only
// on (n, folds, seed), identically on every platform.
// Throws PredictError when folds < 2 or n < min_cv_samples(folds).
std::vector<int> assign_folds(std::size_t n, int folds, uint64_t seed);

// Smallest n for which every training part of a k-fold split keeps
// kMinFitSamples samples (and every fold has one to predict).
std::size_t min_cv_samples(int folds);

struct CrossValidation {
  int folds = 0;
  uint64_t seed = 0;
  std::vector<int> fold;            // fold of each sample
  std::vector<double> predictions;  // out-of-fold prediction of each sample
  Statistics statistics;            // predictions against the targets
};

// Fits make() on all folds but one and predicts the one left out, for each
// fold. Throws PredictError for bad input (see Regressor::fit) or too few
// samples for the folds.
CrossValidation cross_validate(const RegressorFactory& make, const FeatureRows& x, const std::vector<double>& y,
                               int folds = 5, uint64_t seed = 42);

}  // namespace nasctl::predict
