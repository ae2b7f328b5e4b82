// Model files: a saved and reloaded model predicts bit for bit the same, and
// files of another version, format or model are refused with a clear line.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/model_io.hpp"
#include "nasctl/predict/ridge.hpp"
#include "test_support.hpp"

using namespace nasctl::predict;

namespace {

FeatureRows random_rows(std::size_t n, std::size_t d, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  FeatureRows x(n, std::vector<double>(d));
  for (auto& row : x)
    for (auto& v : row) v = normal(rng);
  return x;
}

std::vector<double> targets(const FeatureRows& x, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.3);
  std::vector<double> y;
  for (const auto& row : x) y.push_back(70.0 + 1.3 * row[0] - 0.7 * row[1] + 0.1 * row[2] + noise(rng));
  return y;
}

}  // namespace

TEST_CASE("a ridge model saved as JSON text and loaded back predicts bit for bit the same") {
  const FeatureRows x = random_rows(40, 6, 1);
  Ridge model(0.37);
  model.fit(x, targets(x, 2));
  const std::unique_ptr<Regressor> loaded = from_model_text(to_model_text(model), "memory");
  REQUIRE(loaded->name() == "ridge");
  for (const auto& row : random_rows(100, 6, 3)) CHECK(loaded->predict_one(row) == model.predict_one(row));
}

TEST_CASE("a cross-validated ridge saved to a file and loaded back keeps its predictions and CV report") {
  nasctl::test::ScratchDir dir;
  const FeatureRows x = random_rows(60, 5, 4);
  RidgeCV model;
  model.fit(x, targets(x, 5));
  const std::string path = dir.path() + "/model.json";
  save_regressor(model, path);
  const std::unique_ptr<Regressor> loaded = load_regressor(path);
  REQUIRE(loaded->name() == "ridge_cv");
  const auto& restored = dynamic_cast<const RidgeCV&>(*loaded);
  CHECK(restored.report().lambda == model.report().lambda);
  CHECK(restored.report().cv_rmse == model.report().cv_rmse);
  CHECK(restored.report().cv.statistics.kendall_tau == model.report().cv.statistics.kendall_tau);
  for (const auto& row : random_rows(100, 5, 6)) CHECK(loaded->predict_one(row) == model.predict_one(row));
}

TEST_CASE("a model file of another format version is refused, naming the file, both versions and the fix") {
  const FeatureRows x = random_rows(20, 3, 7);
  Ridge model;
  model.fit(x, targets(x, 8));
  nlohmann::json file = nlohmann::json::parse(to_model_text(model));
  file["version"] = 2;
  CHECK_THROWS_WITH_AS(from_model_text(file.dump(), "old.json"),
                       "old.json: model file format version 2, this nasctl reads version 1; fix: refit the model "
                       "with this nasctl and save it again",
                       nasctl::DataError);
  file.erase("version");
  CHECK_THROWS_WITH_AS(from_model_text(file.dump(), "old.json"), nasctl::test::contains("format version (none)"),
                       nasctl::DataError);
}

TEST_CASE("model files that are not JSON, not nasctl's, of an unknown model or with a broken state are refused") {
  CHECK_THROWS_WITH_AS(from_model_text("{ not json", "m.json"), nasctl::test::contains("m.json: not a JSON model file"),
                       nasctl::DataError);
  CHECK_THROWS_WITH_AS(from_model_text(R"({"format": "sklearn", "version": 1})", "m.json"),
                       nasctl::test::contains("m.json: not a nasctl model file"), nasctl::DataError);
  CHECK_THROWS_WITH_AS(
      from_model_text(R"({"format": "nasctl-regressor", "version": 1, "model": "svr", "state": {}})", "m.json"),
      nasctl::test::contains(
          "m.json: model 'svr' is unknown to this nasctl; fix: use a file of one of ridge, ridge_cv"),
      nasctl::DataError);
  CHECK_THROWS_WITH_AS(
      from_model_text(R"({"format": "nasctl-regressor", "version": 1, "model": "ridge", "state": {"lambda": 1}})",
                      "m.json"),
      nasctl::test::contains("m.json: ridge state is malformed"), nasctl::DataError);
  CHECK_THROWS_WITH_AS(load_regressor("/nonexistent/model.json"),
                       nasctl::test::contains("/nonexistent/model.json: cannot open the model file"),
                       nasctl::DataError);
}

TEST_CASE("only fitted models are saved and only known models are made by name") {
  CHECK_THROWS_WITH_AS(to_model_text(Ridge()), nasctl::test::contains("ridge: cannot save a model that is not fitted"),
                       PredictError);
  CHECK(make_regressor("ridge_cv")->name() == "ridge_cv");
  CHECK_THROWS_WITH_AS(make_regressor("forest"),
                       nasctl::test::contains("regressor 'forest' is unknown; fix: use one of ridge, ridge_cv"),
                       PredictError);
}
