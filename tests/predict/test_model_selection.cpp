// Model selection by cross-validation: the non-linear model is chosen where
// the data needs it and the simpler ridge where it does not; every candidate
// is reported with Kendall tau, MAPE and RMSE; the "auto" model wraps it and
// round-trips through a model file; bad input gets one clear line.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "nasctl/predict/error.hpp"
#include "nasctl/predict/kernel_ridge.hpp"
#include "nasctl/predict/model_io.hpp"
#include "nasctl/predict/model_selection.hpp"
#include "nasctl/predict/ridge.hpp"
#include "nasctl/predict/statistics.hpp"
#include "synthetic_data.hpp"

using namespace nasctl;
using namespace nasctl::predict;

namespace {

std::vector<RegressorFactory> ridge_then_kernel() {
  return {[] { return std::make_unique<RidgeCV>(); }, [] { return std::make_unique<KernelRidgeCV>(); }};
}

}  // namespace

TEST_CASE("model selection picks kernel ridge on a non-linear function and reports every candidate") {
  const test::Samples d = test::smooth_nonlinear(150, 21);
  const ModelSelection s = select_model(ridge_then_kernel(), d.x, d.y, 5, 7);
  INFO(selection_table(s));
  REQUIRE(s.candidates.size() == 2);
  CHECK(s.candidates[0].name == "ridge_cv");
  CHECK(s.candidates[1].name == "kernel_ridge_cv");
  CHECK(s.selected == 1);
  CHECK(s.best == 1);
  CHECK(s.model->name() == "kernel_ridge_cv");
  CHECK(s.model->fitted());
  for (const auto& c : s.candidates) {
    CHECK(c.cv.statistics.n == d.y.size());
    CHECK(std::isfinite(c.cv.statistics.kendall_tau));
    CHECK(std::isfinite(c.cv.statistics.mape));
    CHECK(std::isfinite(c.cv.statistics.rmse));
    CHECK(c.fold_scores.size() == 5);
  }
  CHECK(s.candidates[1].cv.statistics.kendall_tau > s.candidates[0].cv.statistics.kendall_tau);
  CHECK(s.candidates[0].deficit > s.candidates[0].deficit_se);
}

TEST_CASE("model selection keeps ridge on additive (linear) data over several seeds") {
  for (uint64_t seed = 30; seed < 35; ++seed) {
    CAPTURE(seed);
    const test::Samples d = test::one_hot_choices(120, 8, false, seed, 0.3);
    const ModelSelection s = select_model(ridge_then_kernel(), d.x, d.y, 5, seed);
    INFO(selection_table(s));
    CHECK(s.model->name() == "ridge_cv");
  }
}

TEST_CASE("model selection picks kernel ridge when architecture choices interact") {
  const test::Samples d = test::one_hot_choices(250, 8, true, 40);
  const ModelSelection s = select_model(ridge_then_kernel(), d.x, d.y, 5, 40);
  INFO(selection_table(s));
  CHECK(s.model->name() == "kernel_ridge_cv");
}

TEST_CASE("model selection by RMSE scores folds by negative RMSE and agrees with the pooled error") {
  const test::Samples d = test::smooth_nonlinear(100, 22);
  const ModelSelection s = select_model(ridge_then_kernel(), d.x, d.y, 5, 3, SelectionCriterion::Rmse);
  CHECK(s.criterion == SelectionCriterion::Rmse);
  for (const auto& c : s.candidates) {
    for (double v : c.fold_scores) CHECK(v < 0.0);
  }
  CHECK(s.model->name() == "kernel_ridge_cv");
  CHECK(s.candidates[1].cv.statistics.rmse < s.candidates[0].cv.statistics.rmse);
}

TEST_CASE("the selection table lists every candidate with tau, MAPE and RMSE and marks the chosen one") {
  const test::Samples d = test::smooth_nonlinear(60, 23);
  const ModelSelection s = select_model(ridge_then_kernel(), d.x, d.y, 3, 1);
  const std::string table = selection_table(s);
  CHECK(table.find("* kernel_ridge_cv") != std::string::npos);
  CHECK(table.find("  ridge_cv") != std::string::npos);
  CHECK(table.find("tau=") != std::string::npos);
  CHECK(table.find("mape=") != std::string::npos);
  CHECK(table.find("rmse=") != std::string::npos);
}

TEST_CASE("the auto model predicts with the chosen candidate and survives a save/load round trip") {
  const test::Samples d = test::smooth_nonlinear(80, 24);
  AutoRegressor model;
  model.fit(d.x, d.y);
  REQUIRE(model.chosen() != nullptr);
  CHECK(model.chosen()->name() == "kernel_ridge_cv");
  CHECK(model.candidates().size() == 2);
  const auto restored = from_model_text(to_model_text(model), "auto.json");
  REQUIRE(restored->name() == "auto");
  const auto& auto_model = dynamic_cast<const AutoRegressor&>(*restored);
  CHECK(auto_model.chosen()->name() == "kernel_ridge_cv");
  CHECK(auto_model.selected() == model.selected());
  CHECK(auto_model.candidates()[0].cv.statistics.kendall_tau == model.candidates()[0].cv.statistics.kendall_tau);
  const test::Samples q = test::smooth_nonlinear(10, 25);
  for (const auto& x : q.x) CHECK(restored->predict_one(x) == model.predict_one(x));
}

TEST_CASE("model selection refuses no candidates, too few samples and constant targets with one clear line") {
  const test::Samples d = test::smooth_nonlinear(30, 26);
  CHECK_THROWS_WITH_AS(select_model({}, d.x, d.y), doctest::Contains("model selection: no candidate models; fix:"),
                       PredictError);
  const test::Samples few = test::smooth_nonlinear(6, 27);
  CHECK_THROWS_WITH_AS(select_model(ridge_then_kernel(), few.x, few.y, 5, 1),
                       doctest::Contains("model selection: candidate 'ridge_cv' cannot be cross-validated on 6 "
                                         "samples in 5 folds (ridge_cv: 4 samples, needs at least 5"),
                       PredictError);
  CHECK_THROWS_WITH_AS(select_model(ridge_then_kernel(), d.x, std::vector<double>(30, 1.0)),
                       doctest::Contains("model selection: all 30 targets equal 1;"), PredictError);
  CHECK_THROWS_WITH_AS(AutoRegressor({{"auto"}}), doctest::Contains("'auto' cannot be its own candidate"),
                       PredictError);
  CHECK_THROWS_WITH_AS(AutoRegressor({{"ridge_cv", "svm"}}), doctest::Contains("regressor 'svm' is unknown"),
                       PredictError);
}
