// The "auto" model: select_model over named model families on every fit.
#include <nlohmann/json.hpp>

#include "nasctl/error.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/model_io.hpp"
#include "nasctl/predict/model_selection.hpp"
#include "statistics_json.hpp"

namespace nasctl::predict {

namespace {

void check_options(const AutoRegressorOptions& o) {
  if (o.candidates.empty())
    throw PredictError("auto model: no candidate models; fix: list e.g. ridge_cv and kernel_ridge_cv");
  for (const auto& name : o.candidates) {
    if (name == "auto")
      throw PredictError("auto model: 'auto' cannot be its own candidate; fix: list concrete models such as ridge_cv");
    make_regressor(name);  // throws PredictError naming the known models
  }
  if (o.folds < 2)
    throw PredictError("auto model: " + std::to_string(o.folds) + " folds; fix: use at least 2 (default 5)");
}

}  // namespace

AutoRegressor::AutoRegressor(AutoRegressorOptions options) : options_(std::move(options)) { check_options(options_); }

void AutoRegressor::fit(const FeatureRows& x, const std::vector<double>& y) {
  std::vector<RegressorFactory> factories;
  for (const auto& name : options_.candidates) factories.push_back([name] { return make_regressor(name); });
  ModelSelection selection = select_model(factories, x, y, options_.folds, options_.seed, options_.criterion);
  model_ = std::move(selection.model);
  candidates_ = std::move(selection.candidates);
  selected_ = selection.selected;
}

double AutoRegressor::predict_one(const std::vector<double>& x) const {
  if (!model_) throw PredictError("auto model: predict before fit; fix: fit the model (or load a fitted one) first");
  return model_->predict_one(x);
}

std::vector<double> AutoRegressor::predict(const FeatureRows& x) const {
  if (!model_) throw PredictError("auto model: predict before fit; fix: fit the model (or load a fitted one) first");
  return model_->predict(x);
}

nlohmann::json AutoRegressor::state() const {
  nlohmann::json j = {{"options",
                       {{"candidates", options_.candidates},
                        {"folds", options_.folds},
                        {"seed", options_.seed},
                        {"criterion", to_string(options_.criterion)}}}};
  if (!model_) return j;
  nlohmann::json scores = nlohmann::json::array();
  for (const auto& c : candidates_) {
    scores.push_back({{"name", c.name},
                      {"cv_statistics", detail::statistics_json(c.cv.statistics)},
                      {"fold_scores", c.fold_scores},
                      {"mean_score", c.mean_score},
                      {"deficit", c.deficit},
                      {"deficit_se", c.deficit_se}});
  }
  j["candidates"] = std::move(scores);
  j["selected"] = selected_;
  j["model"] = {{"name", model_->name()}, {"state", model_->state()}};
  return j;
}

void AutoRegressor::restore(const nlohmann::json& state) {
  const auto& o = state.at("options");
  AutoRegressorOptions options;
  options.candidates = o.at("candidates").get<std::vector<std::string>>();
  options.folds = o.at("folds").get<int>();
  options.seed = o.at("seed").get<uint64_t>();
  std::unique_ptr<Regressor> model;
  std::vector<CandidateScore> candidates;
  std::size_t selected = 0;
  try {
    options.criterion = selection_criterion(o.at("criterion").get<std::string>());
    check_options(options);
    if (state.contains("model")) {
      model = make_regressor(state.at("model").at("name").get<std::string>());
      model->restore(state.at("model").at("state"));
    }
  } catch (const PredictError& e) {
    throw DataError(std::string("auto state: ") + e.what());
  }
  if (model) {
    for (const auto& c : state.at("candidates")) {
      CandidateScore score;
      score.name = c.at("name").get<std::string>();
      score.cv.folds = options.folds;
      score.cv.seed = options.seed;
      score.cv.statistics = detail::statistics_from_json(c.at("cv_statistics"));
      score.fold_scores = c.at("fold_scores").get<std::vector<double>>();
      score.mean_score = c.at("mean_score").get<double>();
      score.deficit = c.at("deficit").get<double>();
      score.deficit_se = c.at("deficit_se").get<double>();
      candidates.push_back(std::move(score));
    }
    selected = state.at("selected").get<std::size_t>();
    if (selected >= candidates.size() || candidates[selected].name != model->name())
      throw DataError("auto state: selected candidate " + std::to_string(selected) + " is not the saved model '" +
                      model->name() + "'; fix: re-save the model");
  }
  options_ = std::move(options);
  model_ = std::move(model);
  candidates_ = std::move(candidates);
  selected_ = selected;
}

}  // namespace nasctl::predict
