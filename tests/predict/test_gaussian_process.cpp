// Gaussian process: interpolates what it was shown, knows where it is unsure,
// finds better hyper-parameters than its start, survives a model file, and
// refuses data it cannot learn from with one clear line.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "nasctl/predict/error.hpp"
#include "nasctl/predict/gaussian_process.hpp"
#include "nasctl/predict/model_io.hpp"
#include "nasctl/predict/ridge.hpp"
#include "nasctl/predict/statistics.hpp"

using namespace nasctl::predict;

namespace {

struct Data {
  FeatureRows x;
  std::vector<double> y;
};

// A smooth function of two inputs in [0, 1]^2, noise optional.
Data smooth_data(std::size_t n, double noise_sd, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  Data d;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = unit(rng), b = unit(rng);
    d.x.push_back({a, b});
    d.y.push_back(10.0 + 3.0 * std::sin(4.0 * a) + 2.0 * b * b + noise_sd * normal(rng));
  }
  return d;
}

// One-hot rows of `vars` categorical variables with 3 choices each; the target
// adds one effect per (variable, choice) and a bonus when variables 0 and 1
// agree, an interaction no linear model of the one-hot bits can express.
Data categorical_data(std::size_t n, int vars, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> effect(static_cast<std::size_t>(3 * vars));
  for (auto& e : effect) e = normal(rng);
  Data d;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> row(effect.size(), 0.0);
    std::vector<int> c(static_cast<std::size_t>(vars));
    double y = 0.0;
    for (int v = 0; v < vars; ++v) {
      c[v] = static_cast<int>(rng() % 3);
      row[3 * v + c[v]] = 1.0;
      y += effect[3 * v + c[v]];
    }
    d.x.push_back(row);
    d.y.push_back(y + (c[0] == c[1] ? 4.0 : 0.0));
  }
  return d;
}

}  // namespace

TEST_CASE("a gaussian process fitted on noiseless data reproduces every training target") {
  const Data d = smooth_data(30, 0.0, 1);
  for (GpKernel kernel : {GpKernel::Matern52, GpKernel::Rbf}) {
    CAPTURE(to_string(kernel));
    GaussianProcess gp(GpOptions{kernel});
    gp.fit(d.x, d.y);
    const auto [lo, hi] = std::minmax_element(d.y.begin(), d.y.end());
    for (std::size_t i = 0; i < d.x.size(); ++i) CHECK(std::abs(gp.predict_one(d.x[i]) - d.y[i]) < 1e-3 * (*hi - *lo));
    // The noise found is at the floor: tiny against the signal.
    CHECK(gp.hyperparameters().noise_variance < 1e-5 * gp.hyperparameters().signal_variance);
  }
}

TEST_CASE("a gaussian process predicts held-out points of a smooth function closely") {
  const Data train = smooth_data(40, 0.0, 2);
  const Data test = smooth_data(200, 0.0, 3);
  GaussianProcess gp;
  gp.fit(train.x, train.y);
  CHECK(rmse(test.y, gp.predict(test.x)) < 0.1);  // targets span ~5
}

TEST_CASE("gaussian process variance is near zero at training points and near the prior far away") {
  const Data d = smooth_data(25, 0.0, 4);
  GaussianProcess gp;
  gp.fit(d.x, d.y);
  const double prior = gp.hyperparameters().signal_variance * [&] {
    double mean = 0.0, var = 0.0;
    for (double v : d.y) mean += v / d.y.size();
    for (double v : d.y) var += (v - mean) * (v - mean) / d.y.size();
    return var;
  }();
  for (const auto& row : d.x) CHECK(gp.predict_with_variance(row).variance < 1e-4 * prior);
  const GpPrediction far = gp.predict_with_variance(std::vector<double>{25.0, -30.0});
  CHECK(far.variance == doctest::Approx(prior).epsilon(1e-6));
  // Far from the data the mean falls back to the targets' mean.
  double mean = 0.0;
  for (double v : d.y) mean += v / d.y.size();
  CHECK(far.mean == doctest::Approx(mean).epsilon(1e-6));
  // In between, uncertainty grows with distance from the nearest sample.
  const double near = gp.predict_with_variance(std::vector<double>{d.x[0][0] + 0.02, d.x[0][1]}).variance;
  const double mid = gp.predict_with_variance(std::vector<double>{1.6, 1.6}).variance;
  CHECK(near < mid);
  CHECK(mid < far.variance);
}

TEST_CASE("batch and single-point gaussian process predictions agree") {
  const Data d = smooth_data(20, 0.1, 5);
  const Data q = smooth_data(15, 0.0, 6);
  GaussianProcess gp;
  gp.fit(d.x, d.y);
  const auto batch = gp.predict_with_variance(q.x);
  REQUIRE(batch.size() == q.x.size());
  for (std::size_t i = 0; i < q.x.size(); ++i) {
    const GpPrediction one = gp.predict_with_variance(q.x[i]);
    // Batch and single predictions multiply different matrix shapes, which
    // BLAS rounds differently (kernel choice per shape and CPU); a real
    // difference between the two paths would be far larger than this.
    CHECK(batch[i].mean == doctest::Approx(one.mean).epsilon(1e-9));
    CHECK(batch[i].variance == doctest::Approx(one.variance).epsilon(1e-7).scale(1e-9));
  }
}

TEST_CASE("fitting improves the marginal likelihood over the starting hyper-parameters and ends at a local maximum") {
  const Data d = smooth_data(40, 0.05, 7);
  GaussianProcess gp;
  gp.fit(d.x, d.y);
  const GpHyperparameters fitted = gp.hyperparameters();
  const double best = gp.log_marginal_likelihood(fitted);
  CHECK(best == doctest::Approx(gp.report().log_marginal_likelihood).epsilon(1e-9));
  CHECK(best > gp.log_marginal_likelihood(gp.default_hyperparameters()) + 10.0);
  // No small change of any hyper-parameter does better.
  for (int which = 0; which < 3; ++which) {
    for (double factor : {0.9, 1.1}) {
      GpHyperparameters moved = fitted;
      double* p = which == 0 ? &moved.length_scale : which == 1 ? &moved.signal_variance : &moved.noise_variance;
      *p *= factor;
      CAPTURE(which);
      CAPTURE(factor);
      CHECK(gp.log_marginal_likelihood(moved) <= best + 1e-6);
    }
  }
  CHECK(gp.report().likelihood_evaluations > 10);
}

TEST_CASE("on one-hot data with an interaction the gaussian process ranks held-out samples better than ridge") {
  const Data all = categorical_data(450, 8, 8);
  const Data train{FeatureRows(all.x.begin(), all.x.begin() + 150), std::vector<double>(all.y.begin(), all.y.begin() + 150)};
  const Data test{FeatureRows(all.x.begin() + 150, all.x.end()), std::vector<double>(all.y.begin() + 150, all.y.end())};
  GaussianProcess gp;
  gp.fit(train.x, train.y);
  RidgeCV ridge;
  ridge.fit(train.x, train.y);
  const double tau_gp = kendall_tau(test.y, gp.predict(test.x));
  const double tau_ridge = kendall_tau(test.y, ridge.predict(test.x));
  CAPTURE(tau_gp);
  CAPTURE(tau_ridge);
  CHECK(tau_gp > tau_ridge + 0.15);
}

TEST_CASE("a fantasised observation at the predicted mean keeps the mean and shrinks the variance there") {
  const Data d = smooth_data(20, 0.0, 10);
  GaussianProcess gp;
  gp.fit(d.x, d.y);
  const std::vector<double> pending{0.37, 0.81};
  const std::vector<double> nearby{0.40, 0.78};
  const GpPrediction before = gp.predict_with_variance(pending);
  const GpPrediction nearby_before = gp.predict_with_variance(nearby);
  const GpHyperparameters hp = gp.hyperparameters();
  gp.add_observations({pending}, {before.mean});
  CHECK(gp.samples() == 21);
  CHECK(gp.hyperparameters().length_scale == hp.length_scale);
  const GpPrediction after = gp.predict_with_variance(pending);
  CHECK(after.mean == doctest::Approx(before.mean).epsilon(1e-6));
  CHECK(after.variance < 0.01 * before.variance);
  CHECK(gp.predict_with_variance(nearby).variance < nearby_before.variance);
  CHECK(gp.predict_with_variance(nearby).mean == doctest::Approx(nearby_before.mean).epsilon(1e-6));
}

TEST_CASE("a gaussian process saved and loaded back predicts means and variances bit for bit") {
  const Data d = smooth_data(30, 0.1, 11);
  GaussianProcess gp(GpOptions{GpKernel::Rbf});
  gp.fit(d.x, d.y);
  gp.add_observations({{0.5, 0.5}}, {11.0});  // fantasies are part of the state too
  const std::unique_ptr<Regressor> loaded = from_model_text(to_model_text(gp), "memory");
  REQUIRE(loaded->name() == "gp");
  const auto& restored = dynamic_cast<const GaussianProcess&>(*loaded);
  CHECK(restored.options().kernel == GpKernel::Rbf);
  CHECK(restored.samples() == 31);
  const Data q = smooth_data(50, 0.0, 12);
  const auto a = gp.predict_with_variance(q.x);
  const auto b = restored.predict_with_variance(q.x);
  for (std::size_t i = 0; i < q.x.size(); ++i) {
    CHECK(a[i].mean == b[i].mean);
    CHECK(a[i].variance == b[i].variance);
  }
  CHECK(make_regressor("gp")->name() == "gp");
  const auto names = regressor_names();
  CHECK(std::find(names.begin(), names.end(), "gp") != names.end());
}

TEST_CASE("a gaussian process refuses too few samples, constant targets and misuse with one clear line") {
  GaussianProcess gp;
  CHECK_THROWS_WITH_AS(gp.fit({{0.0}, {1.0}}, {1.0, 2.0}), "gp: 2 samples, needs at least 3; fix: add samples (or use fewer cross-validation folds)", PredictError);
  CHECK_THROWS_WITH_AS(gp.fit({{0.0}, {1.0}, {2.0}, {3.0}}, {5.0, 5.0, 5.0, 5.0}),
                       doctest::Contains("gp: all 4 targets equal 5"), PredictError);
  CHECK_THROWS_WITH_AS(gp.predict_one({0.0}), "gp: predict before fit; fix: fit the model (or load a fitted one) first",
                       PredictError);
  const Data d = smooth_data(10, 0.0, 13);
  gp.fit(d.x, d.y);
  CHECK_THROWS_WITH_AS(gp.predict_one({0.0, 1.0, 2.0}), doctest::Contains("gp: sample has 3 features, the model was fitted on 2"),
                       PredictError);
  CHECK_THROWS_WITH_AS(gp.fit(d.x, d.y, GpHyperparameters{-1.0, 1.0, 0.1}), doctest::Contains("must be finite and > 0"),
                       PredictError);
  CHECK_THROWS_WITH_AS(parse_gp_kernel("linear"), "gp: kernel 'linear' is unknown; fix: use matern52 or rbf", PredictError);
  CHECK_THROWS_AS(GaussianProcess(GpOptions{GpKernel::Matern52, 0.0}), PredictError);
}
