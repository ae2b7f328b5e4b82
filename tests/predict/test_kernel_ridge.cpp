// Kernel ridge regression (RBF): fits what a linear model cannot, chooses its
// length-scale and penalty by leave-one-out error, predicts the same after a
// save/load round trip, and refuses data it cannot learn from with one line.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/kernel_ridge.hpp"
#include "nasctl/predict/model_io.hpp"
#include "nasctl/predict/ridge.hpp"
#include "nasctl/predict/statistics.hpp"
#include "synthetic_data.hpp"
#include "test_support.hpp"

using namespace nasctl;
using namespace nasctl::predict;

TEST_CASE("kernel ridge fits a smooth non-linear function far better than ridge on held-out samples") {
  const test::Samples train = test::smooth_nonlinear(200, 1);
  const test::Samples held_out = test::smooth_nonlinear(400, 2);
  RidgeCV ridge;
  ridge.fit(train.x, train.y);
  KernelRidgeCV kernel;
  kernel.fit(train.x, train.y);
  const Statistics linear = compute_statistics(held_out.y, ridge.predict(held_out.x));
  const Statistics rbf = compute_statistics(held_out.y, kernel.predict(held_out.x));
  MESSAGE("held out: ridge " << summary(linear) << "; kernel ridge " << summary(rbf));
  CHECK(rbf.rmse < 0.3 * linear.rmse);
  CHECK(rbf.kendall_tau > linear.kendall_tau + 0.1);
  CHECK(rbf.kendall_tau > 0.9);
}

TEST_CASE("kernel ridge models interactions between architecture choices that ridge cannot") {
  const test::Samples train = test::one_hot_choices(300, 8, true, 3);
  const test::Samples held_out = test::one_hot_choices(500, 8, true, 4);
  RidgeCV ridge;
  ridge.fit(train.x, train.y);
  KernelRidgeCV kernel;
  kernel.fit(train.x, train.y);
  const double ridge_rmse = rmse(held_out.y, ridge.predict(held_out.x));
  const double kernel_rmse = rmse(held_out.y, kernel.predict(held_out.x));
  MESSAGE("one-hot with an interaction: ridge RMSE " << ridge_rmse << ", kernel ridge RMSE " << kernel_rmse);
  CHECK(kernel_rmse < 0.8 * ridge_rmse);
}

TEST_CASE("kernel ridge cv keeps the grid pair with the lowest leave-one-out RMSE and reports its LOO statistics") {
  const test::Samples d = test::smooth_nonlinear(80, 5);
  KernelRidgeCV model;
  model.fit(d.x, d.y);
  const KernelRidgeCvReport& r = model.report();
  REQUIRE(r.loo_rmse.size() == model.options().length_scale_factors.size());
  double lowest = INFINITY;
  for (const auto& row : r.loo_rmse) {
    REQUIRE(row.size() == model.options().lambdas.size());
    for (double v : row) lowest = std::min(lowest, v);
  }
  const auto f = static_cast<std::size_t>(
      std::find(model.options().length_scale_factors.begin(), model.options().length_scale_factors.end(),
                r.length_scale_factor) -
      model.options().length_scale_factors.begin());
  const auto l = static_cast<std::size_t>(
      std::find(model.options().lambdas.begin(), model.options().lambdas.end(), r.lambda) -
      model.options().lambdas.begin());
  REQUIRE(f < r.loo_rmse.size());
  REQUIRE(l < r.loo_rmse[f].size());
  // The lowest, or a tie with it to rounding that goes to the smoother model.
  CHECK(r.loo_rmse[f][l] <= lowest * (1.0 + 1e-6));
  CHECK(r.length_scale == doctest::Approx(r.length_scale_factor * r.median_distance));
  CHECK(model.model().length_scale() == r.length_scale);
  CHECK(model.model().lambda() == r.lambda);
  REQUIRE(r.loo_predictions.size() == d.y.size());
  CHECK(rmse(d.y, r.loo_predictions) == doctest::Approx(lowest).epsilon(1e-9));
  CHECK(r.loo.n == d.y.size());
  CHECK(r.loo.kendall_tau > 0.8);
}

TEST_CASE("leave-one-out error is honest: it is close to the error on fresh samples, unlike the training error") {
  const test::Samples d = test::smooth_nonlinear(150, 6, 0.2);
  const test::Samples fresh = test::smooth_nonlinear(1000, 7, 0.2);
  KernelRidgeCV model;
  model.fit(d.x, d.y);
  const double loo = rmse(d.y, model.report().loo_predictions);
  const double fresh_rmse = rmse(fresh.y, model.predict(fresh.x));
  const double training = rmse(d.y, model.predict(d.x));
  MESSAGE("RMSE: training " << training << ", leave-one-out " << loo << ", fresh samples " << fresh_rmse);
  CHECK(loo == doctest::Approx(fresh_rmse).epsilon(0.25));
  CHECK(training < loo);
}

TEST_CASE("normalised kernel ridge predicts the same whatever the unit of a feature") {
  test::Samples d = test::smooth_nonlinear(60, 8);
  test::Samples scaled = d;
  for (auto& row : scaled.x) row[1] *= 1000.0;  // the same feature in another unit
  KernelRidge a(1.0, 0.01), b(1.0, 0.01);
  a.fit(d.x, d.y);
  b.fit(scaled.x, scaled.y);
  std::vector<double> query = {0.3, -0.2, 0.5, 0.1};
  std::vector<double> query_scaled = query;
  query_scaled[1] *= 1000.0;
  CHECK(a.predict_one(query) == doctest::Approx(b.predict_one(query_scaled)).epsilon(1e-9));
}

TEST_CASE("kernel ridge models saved as JSON text and loaded back predict bit for bit the same") {
  const test::Samples d = test::one_hot_choices(60, 5, true, 9);
  const test::Samples queries = test::one_hot_choices(20, 5, true, 10);
  KernelRidge fixed(2.0, 0.05);
  fixed.fit(d.x, d.y);
  KernelRidgeCV chosen;
  chosen.fit(d.x, d.y);
  for (const Regressor* model : {static_cast<const Regressor*>(&fixed), static_cast<const Regressor*>(&chosen)}) {
    CAPTURE(model->name());
    const auto loaded = from_model_text(to_model_text(*model), "model.json");
    REQUIRE(loaded->name() == model->name());
    for (const auto& q : queries.x) CHECK(loaded->predict_one(q) == model->predict_one(q));
  }
  const auto loaded = from_model_text(to_model_text(chosen), "model.json");
  const auto& report = dynamic_cast<const KernelRidgeCV&>(*loaded).report();
  CHECK(report.lambda == chosen.report().lambda);
  CHECK(report.length_scale == chosen.report().length_scale);
  CHECK(report.loo.kendall_tau == chosen.report().loo.kendall_tau);
}

TEST_CASE("a kernel ridge model file with inconsistent sizes is refused with the file name and a fix") {
  const test::Samples d = test::one_hot_choices(20, 3, false, 11);
  KernelRidge model;
  model.fit(d.x, d.y);
  auto file = nlohmann::json::parse(to_model_text(model));
  file["state"]["alpha"].erase(0);
  CHECK_THROWS_WITH_AS(from_model_text(file.dump(), "krr.json"),
                       doctest::Contains("krr.json: kernel_ridge state: 19 coefficients"), DataError);
}

TEST_CASE("kernel ridge refuses too few samples, constant targets and featureless samples with one clear line") {
  CHECK_THROWS_WITH_AS(KernelRidgeCV().fit({{1.0, 0.0}, {0.0, 1.0}}, {1.0, 2.0}),
                       "kernel_ridge_cv: 2 samples, needs at least 3; fix: add samples (or use fewer "
                       "cross-validation folds)",
                       PredictError);
  const test::Samples d = test::one_hot_choices(10, 3, false, 12);
  CHECK_THROWS_WITH_AS(KernelRidge().fit(d.x, std::vector<double>(10, 75.0)),
                       doctest::Contains("kernel_ridge: all 10 targets equal 75; a constant can be neither learned "
                                         "nor ranked"),
                       PredictError);
  const FeatureRows same(5, std::vector<double>{1.0, 0.0, 1.0});
  CHECK_THROWS_WITH_AS(KernelRidgeCV().fit(same, {1.0, 2.0, 3.0, 4.0, 5.0}),
                       doctest::Contains("kernel_ridge_cv: all 5 samples have the same features"), PredictError);
}

TEST_CASE("kernel ridge refuses non-positive settings, unfitted use and samples of the wrong width") {
  CHECK_THROWS_WITH_AS(KernelRidge(0.0, 0.1), doctest::Contains("kernel_ridge: length-scale 0.000000 is not"),
                       PredictError);
  CHECK_THROWS_WITH_AS(KernelRidge(1.0, -1.0), doctest::Contains("kernel_ridge: lambda -1.000000 is not"),
                       PredictError);
  KernelRidgeCvOptions bad;
  bad.lambdas = {};
  CHECK_THROWS_WITH_AS(KernelRidgeCV{bad}, doctest::Contains("kernel_ridge_cv: empty lambda grid; fix:"),
                       PredictError);
  KernelRidge model;
  CHECK_THROWS_WITH_AS(model.predict_one({1.0}), doctest::Contains("predict before fit; fix:"), PredictError);
  const test::Samples d = test::one_hot_choices(10, 3, false, 13);
  model.fit(d.x, d.y);
  CHECK_THROWS_WITH_AS(model.predict_one({1.0, 0.0}),
                       doctest::Contains("kernel_ridge: sample has 2 features, the model was fitted on 9"),
                       PredictError);
}
