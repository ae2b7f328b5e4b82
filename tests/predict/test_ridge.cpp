// Ridge regression: recovers known linear models, shrinks as lambda grows,
// copes with one-hot encodings, chooses lambda sensibly by cross-validation,
// and refuses data it cannot learn from with one clear line.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/ridge.hpp"

using namespace nasctl::predict;

namespace {

struct Data {
  FeatureRows x;
  std::vector<double> y;
};

// y = intercept + w . x + noise, x ~ N(0, 1) per feature.
Data linear_data(std::size_t n, const std::vector<double>& w, double intercept, double noise_sd, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Data d;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> row;
    double y = intercept;
    for (double wj : w) {
      row.push_back(normal(rng));
      y += wj * row.back();
    }
    d.x.push_back(row);
    d.y.push_back(y + noise_sd * normal(rng));
  }
  return d;
}

double norm(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

}  // namespace

TEST_CASE("ridge with a tiny lambda recovers the coefficients of noiseless linear data") {
  const std::vector<double> w{3.0, -1.5, 0.5, 0.0};
  const Data d = linear_data(50, w, 2.0, 0.0, 1);
  for (bool standardize : {true, false}) {
    CAPTURE(standardize);
    Ridge model(1e-9, standardize);
    model.fit(d.x, d.y);
    CHECK(model.intercept() == doctest::Approx(2.0).epsilon(1e-6));
    for (std::size_t j = 0; j < w.size(); ++j)
      CHECK(model.coefficients()[j] == doctest::Approx(w[j]).scale(1.0).epsilon(1e-6));
    CHECK(model.predict_one({1.0, 1.0, 1.0, 1.0}) == doctest::Approx(2.0 + 3.0 - 1.5 + 0.5).epsilon(1e-6));
  }
}

TEST_CASE("ridge shrinks coefficients towards zero as lambda grows") {
  const Data d = linear_data(40, {1.0, 2.0, -1.0}, 0.0, 0.3, 2);
  double previous = INFINITY;
  for (double lambda : {0.01, 1.0, 100.0, 10000.0}) {
    Ridge model(lambda);
    model.fit(d.x, d.y);
    const double n = norm(model.coefficients());
    CHECK(n < previous);
    previous = n;
  }
  CHECK(previous < 0.05);  // lambda = 1e4 against a Gram diagonal of 40: almost all shrunk
}

TEST_CASE("standardised ridge predicts the same whatever the unit of a feature, raw ridge does not") {
  Data d = linear_data(30, {1.0, 1.0}, 0.0, 0.5, 3);
  Data scaled = d;
  for (auto& row : scaled.x) row[1] *= 1000.0;  // same feature, another unit
  for (bool standardize : {true, false}) {
    Ridge a(5.0, standardize), b(5.0, standardize);
    a.fit(d.x, d.y);
    b.fit(scaled.x, scaled.y);
    const double pa = a.predict_one({0.5, 0.5});
    const double pb = b.predict_one({0.5, 500.0});
    if (standardize)
      CHECK(pa == doctest::Approx(pb).epsilon(1e-9));
    else
      CHECK(std::abs(pa - pb) > 1e-3);
  }
}

TEST_CASE("ridge fits collinear one-hot encodings and gives constant features no weight") {
  // Two variables of three choices, one-hot: each block sums to one, so the
  // columns are collinear with the intercept. Plus a constant column.
  std::mt19937_64 rng(4);
  const double effect[2][3] = {{0.0, 1.0, 3.0}, {0.0, -2.0, 0.5}};
  FeatureRows x;
  std::vector<double> y;
  for (int i = 0; i < 60; ++i) {
    const int a = static_cast<int>(rng() % 3), b = static_cast<int>(rng() % 3);
    std::vector<double> row(7, 0.0);
    row[a] = 1.0;
    row[3 + b] = 1.0;
    row[6] = 4.2;
    x.push_back(row);
    y.push_back(10.0 + effect[0][a] + effect[1][b]);
  }
  Ridge model(1e-6);
  model.fit(x, y);
  CHECK(model.coefficients()[6] == 0.0);
  CHECK(model.predict_one({0, 0, 1, 0, 1, 0, 4.2}) == doctest::Approx(10.0 + 3.0 - 2.0).epsilon(1e-5));
  CHECK(model.predict_one({1, 0, 0, 1, 0, 0, 4.2}) == doctest::Approx(10.0).epsilon(1e-5));
}

TEST_CASE("ridge refuses data it cannot learn from, naming the problem and the fix") {
  Ridge model;
  CHECK_THROWS_WITH_AS(model.fit({{1.0}, {2.0}}, {1.0, 2.0}),
                       doctest::Contains("ridge: 2 samples, needs at least 3; fix:"), PredictError);
  CHECK_THROWS_WITH_AS(model.fit({{1.0}, {2.0}, {3.0}}, {1.0, 2.0}),
                       doctest::Contains("ridge: 3 feature rows but 2 targets; fix:"), PredictError);
  CHECK_THROWS_WITH_AS(model.fit({{1.0}, {2.0}, {3.0}}, {7.5, 7.5, 7.5}),
                       doctest::Contains("ridge: all 3 targets equal 7.5"), PredictError);
  CHECK_THROWS_WITH_AS(model.fit({{1.0}, {NAN}, {3.0}}, {1.0, 2.0, 3.0}),
                       doctest::Contains("ridge: feature 0 of row 1 is nan; fix:"), PredictError);
  CHECK_THROWS_WITH_AS(model.fit({{1.0}, {2.0}, {3.0}}, {1.0, NAN, 3.0}),
                       doctest::Contains("ridge: target of row 1 is nan; fix:"), PredictError);
  CHECK_THROWS_WITH_AS(model.fit({{1.0, 2.0}, {2.0}, {3.0, 1.0}}, {1.0, 2.0, 3.0}),
                       doctest::Contains("ridge: row 1 has 1 features, row 0 has 2"), PredictError);
  CHECK_THROWS_WITH_AS(Ridge(-1.0), doctest::Contains("ridge: lambda -1"), PredictError);
  CHECK_FALSE(model.fitted());
}

TEST_CASE("ridge predicts only when fitted and only on samples shaped like its training data") {
  Ridge model;
  CHECK_THROWS_WITH_AS(model.predict_one({1.0}), doctest::Contains("ridge: predict before fit"), PredictError);
  model.fit({{1.0, 0.0}, {2.0, 1.0}, {3.0, 0.0}, {4.0, 1.0}}, {1.0, 2.0, 3.0, 4.0});
  CHECK_THROWS_WITH_AS(model.predict_one({1.0}),
                       doctest::Contains("ridge: sample has 1 features, the model was fitted on 2; fix:"),
                       PredictError);
  CHECK_THROWS_WITH_AS(model.predict_one({1.0, INFINITY}), doctest::Contains("ridge: feature 1 is inf"), PredictError);
  CHECK(model.predict({{1.0, 0.0}, {2.0, 1.0}}).size() == 2);
}

TEST_CASE("log_grid spans its bounds with the requested steps per decade") {
  const std::vector<double> grid = log_grid(1e-2, 1e2, 2);
  REQUIRE(grid.size() == 9);
  CHECK(grid.front() == doctest::Approx(1e-2));
  CHECK(grid[1] == doctest::Approx(std::sqrt(10.0) * 1e-2));
  CHECK(grid.back() == doctest::Approx(1e2));
  CHECK(default_lambda_grid().size() == 33);
}

TEST_CASE("cross-validated ridge picks a small lambda for noiseless data and a large one for noisy data") {
  const Data clean = linear_data(100, {1.0, -2.0, 0.5, 3.0, 1.0, -1.0, 0.2, 0.7}, 5.0, 0.0, 5);
  RidgeCV clean_model;
  clean_model.fit(clean.x, clean.y);
  CHECK(clean_model.report().lambda <= 1e-3);
  CHECK(clean_model.report().cv.statistics.kendall_tau > 0.999);

  // Weak signal buried in noise over many features: shrinking pays.
  std::vector<double> weak(20, 0.05);
  const Data noisy = linear_data(60, weak, 5.0, 1.0, 6);
  RidgeCV noisy_model;
  noisy_model.fit(noisy.x, noisy.y);
  CHECK(noisy_model.report().lambda >= 10.0);
}

TEST_CASE("cross-validated ridge reports the same out-of-fold predictions as cross_validate at its lambda") {
  const Data d = linear_data(80, {1.0, 0.5, -0.5, 0.0, 2.0}, 1.0, 0.8, 7);
  RidgeCvOptions options;
  options.folds = 4;
  options.seed = 9;
  RidgeCV model(options);
  model.fit(d.x, d.y);
  const RidgeCvReport& report = model.report();
  REQUIRE(report.cv_rmse.size() == report.lambdas.size());
  const double lambda = report.lambda;
  const CrossValidation cv = cross_validate([&] { return std::make_unique<Ridge>(lambda); }, d.x, d.y, 4, 9);
  REQUIRE(cv.predictions.size() == report.cv.predictions.size());
  for (std::size_t i = 0; i < cv.predictions.size(); ++i)
    CHECK(report.cv.predictions[i] == doctest::Approx(cv.predictions[i]).epsilon(1e-9));
  CHECK(report.cv.statistics.rmse == doctest::Approx(cv.statistics.rmse).epsilon(1e-9));
  // The chosen lambda has the lowest CV RMSE of the grid, and the final model was fitted with it.
  // (Or ties it to rounding: ties go to the larger lambda.)
  for (double r : report.cv_rmse) CHECK(report.cv.statistics.rmse <= r * (1.0 + 1e-6));
  CHECK(model.model().lambda() == lambda);
}

TEST_CASE("cross-validated ridge needs enough samples for its folds and a valid grid") {
  RidgeCV model;
  CHECK_THROWS_WITH_AS(model.fit({{1.0}, {2.0}, {3.0}, {4.0}}, {1.0, 2.0, 3.0, 4.0}),
                       doctest::Contains("ridge_cv: 4 samples, needs at least 5; fix:"), PredictError);
  RidgeCvOptions bad;
  bad.lambdas = {1.0, 0.0};
  CHECK_THROWS_WITH_AS(RidgeCV{bad}, doctest::Contains("ridge_cv: grid lambda 0"), PredictError);
  bad.lambdas = {1.0};
  bad.folds = 1;
  CHECK_THROWS_WITH_AS(RidgeCV{bad}, doctest::Contains("ridge_cv: 1 folds; fix: use at least 2"), PredictError);
}
