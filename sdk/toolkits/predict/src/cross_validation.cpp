#include "nasctl/predict/cross_validation.hpp"

#include <utility>

#include "input_checks.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/rng.hpp"

namespace nasctl::predict {

std::size_t min_cv_samples(int folds) {
  if (folds < 2) return kMinFitSamples;
  // The largest fold holds ceil(n / folds) samples; the rest must keep kMinFitSamples.
  const auto k = static_cast<std::size_t>(folds);
  std::size_t n = k;
  while (n - (n + k - 1) / k < kMinFitSamples) ++n;
  return n;
}

std::vector<int> assign_folds(std::size_t n, int folds, uint64_t seed) {
  if (folds < 2)
    throw PredictError("cross-validation: " + std::to_string(folds) + " folds; fix: use at least 2 (default 5)");
  if (n < min_cv_samples(folds))
    throw PredictError("cross-validation: " + std::to_string(n) + " samples for " + std::to_string(folds) +
                       " folds, needs at least " + std::to_string(min_cv_samples(folds)) +
                       "; fix: add samples or use fewer folds");
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  Rng rng(seed);
  for (std::size_t i = n - 1; i > 0; --i) {
    std::swap(order[i], order[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(i + 1)))]);
  }
  std::vector<int> fold(n);
  for (std::size_t k = 0; k < n; ++k) fold[order[k]] = static_cast<int>(k % static_cast<std::size_t>(folds));
  return fold;
}

CrossValidation cross_validate(const RegressorFactory& make, const FeatureRows& x, const std::vector<double>& y,
                               int folds, uint64_t seed) {
  // Checked here as a whole, so a bad row is named by its index in x rather
  // than by its index in some fold's training part.
  if (folds < 2)
    throw PredictError("cross-validation: " + std::to_string(folds) + " folds; fix: use at least 2 (default 5)");
  detail::check_training_data(x, y, "cross-validation", min_cv_samples(folds));
  CrossValidation cv;
  cv.folds = folds;
  cv.seed = seed;
  cv.fold = assign_folds(y.size(), folds, seed);
  cv.predictions.assign(y.size(), 0.0);
  for (int f = 0; f < folds; ++f) {
    FeatureRows train_x;
    std::vector<double> train_y;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (cv.fold[i] == f) continue;
      train_x.push_back(x[i]);
      train_y.push_back(y[i]);
    }
    std::unique_ptr<Regressor> model = make();
    model->fit(train_x, train_y);
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (cv.fold[i] == f) cv.predictions[i] = model->predict_one(x[i]);
    }
  }
  cv.statistics = compute_statistics(y, cv.predictions);
  return cv;
}

}  // namespace nasctl::predict
