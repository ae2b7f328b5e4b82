// k-fold cross-validation of any Regressor: balanced, reproducible folds and
// honest out-of-fold predictions.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <vector>

#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/error.hpp"

using namespace nasctl::predict;

namespace {

// Predicts the mean of its training targets: its out-of-fold predictions are
// easy to compute by hand.
class MeanRegressor : public Regressor {
 public:
  std::string name() const override { return "mean"; }
  void fit(const FeatureRows&, const std::vector<double>& y) override {
    mean_ = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
    fitted_ = true;
  }
  bool fitted() const override { return fitted_; }
  double predict_one(const std::vector<double>&) const override { return mean_; }
  nlohmann::json state() const override { return {{"mean", mean_}}; }
  void restore(const nlohmann::json& s) override { mean_ = s.at("mean").get<double>(); }

 private:
  double mean_ = 0.0;
  bool fitted_ = false;
};

}  // namespace

TEST_CASE("folds differ in size by at most one and depend only on n, folds and seed") {
  const std::vector<int> fold = assign_folds(23, 5, 42);
  std::vector<int> sizes(5, 0);
  for (int f : fold) ++sizes.at(static_cast<std::size_t>(f));
  CHECK(*std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()) <= 1);
  CHECK(assign_folds(23, 5, 42) == fold);
  CHECK(assign_folds(23, 5, 43) != fold);
  // A shuffle, not blocks of consecutive samples.
  CHECK(fold != std::vector<int>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4});
}

TEST_CASE("the minimum sample count leaves every training part three samples") {
  CHECK(min_cv_samples(5) == 5);  // folds of 1, training parts of 4
  CHECK(min_cv_samples(3) == 5);  // folds of 2,2,1 -> training parts of 3
  CHECK(min_cv_samples(2) == 6);  // folds of 3 -> training parts of 3
  CHECK(min_cv_samples(10) == 10);
}

TEST_CASE("cross_validate predicts each sample with a model that never saw it") {
  const FeatureRows x(10, std::vector<double>{0.0});
  std::vector<double> y(10);
  std::iota(y.begin(), y.end(), 1.0);  // 1..10, total 55
  const CrossValidation cv = cross_validate([] { return std::make_unique<MeanRegressor>(); }, x, y, 5, 3);
  REQUIRE(cv.predictions.size() == 10);
  for (std::size_t i = 0; i < 10; ++i) {
    double held_out = 0.0;
    std::size_t count = 0;
    for (std::size_t j = 0; j < 10; ++j) {
      if (cv.fold[j] != cv.fold[i]) continue;
      held_out += y[j];
      ++count;
    }
    CHECK(cv.predictions[i] == doctest::Approx((55.0 - held_out) / static_cast<double>(10 - count)));
  }
  CHECK(cv.statistics.n == 10);
  CHECK(cv.folds == 5);
  CHECK(cv.seed == 3);
}

TEST_CASE("cross_validate refuses too few samples, bad folds and bad rows by their index in the input") {
  const auto make = [] { return std::make_unique<MeanRegressor>(); };
  CHECK_THROWS_WITH_AS(cross_validate(make, FeatureRows(4, {0.0}), {1, 2, 3, 4}, 5, 1),
                       doctest::Contains("cross-validation: 4 samples, needs at least 5; fix:"), PredictError);
  CHECK_THROWS_WITH_AS(cross_validate(make, FeatureRows(8, {0.0}), {1, 2, 3, 4, 5, 6, 7, 8}, 1, 1),
                       doctest::Contains("cross-validation: 1 folds; fix: use at least 2"), PredictError);
  CHECK_THROWS_WITH_AS(cross_validate(make, FeatureRows(6, {0.0}), {1, 2, 3, 4, 5, NAN}, 2, 1),
                       doctest::Contains("cross-validation: target of row 5 is nan"), PredictError);
  CHECK_THROWS_WITH_AS(assign_folds(3, 5, 1), doctest::Contains("3 samples for 5 folds, needs at least 5"),
                       PredictError);
}
