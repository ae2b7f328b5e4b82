#include "nasctl/predict/model_selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "input_checks.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/statistics.hpp"
#include "score_ties.hpp"

namespace nasctl::predict {

namespace {

// Indices of the samples of each fold.
std::vector<std::vector<std::size_t>> fold_members(const std::vector<int>& fold, int folds) {
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(folds));
  for (std::size_t i = 0; i < fold.size(); ++i) members[static_cast<std::size_t>(fold[i])].push_back(i);
  return members;
}

bool constant(const std::vector<double>& v) {
  for (double x : v) {
    if (x != v.front()) return false;
  }
  return true;
}

// Criterion of one fold, higher is better.
double fold_score(const std::vector<double>& truth, const std::vector<double>& predicted, SelectionCriterion c) {
  if (c == SelectionCriterion::Rmse) return -rmse(truth, predicted);
  // Constant predictions carry no order at all: as good as a coin, tau 0.
  if (constant(predicted)) return 0.0;
  return kendall_tau(truth, predicted);
}

double mean(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

// Standard error of the mean of v.
double standard_error(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = mean(v);
  double ss = 0.0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()));
}

}  // namespace

const char* to_string(SelectionCriterion criterion) {
  return criterion == SelectionCriterion::Rmse ? "rmse" : "kendall_tau";
}

SelectionCriterion selection_criterion(const std::string& name) {
  if (name == "kendall_tau") return SelectionCriterion::KendallTau;
  if (name == "rmse") return SelectionCriterion::Rmse;
  throw PredictError("model selection: criterion '" + name + "' is unknown; fix: use kendall_tau or rmse");
}

ModelSelection select_model(const std::vector<RegressorFactory>& candidates, const FeatureRows& x,
                            const std::vector<double>& y, int folds, uint64_t seed, SelectionCriterion criterion) {
  if (candidates.empty())
    throw PredictError("model selection: no candidate models; fix: pass at least one factory, e.g. ridge_cv");
  if (folds < 2)
    throw PredictError("model selection: " + std::to_string(folds) + " folds; fix: use at least 2 (default 5)");
  detail::check_training_data(x, y, "model selection", min_cv_samples(folds));

  ModelSelection selection;
  selection.criterion = criterion;
  for (const auto& make : candidates) {
    CandidateScore score;
    score.name = make()->name();
    try {
      score.cv = cross_validate(make, x, y, folds, seed);
    } catch (const PredictError& e) {
      throw PredictError("model selection: candidate '" + score.name + "' cannot be cross-validated on " +
                         std::to_string(y.size()) + " samples in " + std::to_string(folds) + " folds (" + e.what() +
                         ")");
    }
    selection.candidates.push_back(std::move(score));
  }

  // Scores on the folds whose targets vary (the same folds for everyone).
  const auto members = fold_members(selection.candidates.front().cv.fold, folds);
  for (const auto& fold : members) {
    std::vector<double> truth;
    for (std::size_t i : fold) truth.push_back(y[i]);
    if (constant(truth)) continue;
    for (auto& c : selection.candidates) {
      std::vector<double> predicted;
      for (std::size_t i : fold) predicted.push_back(c.cv.predictions[i]);
      c.fold_scores.push_back(fold_score(truth, predicted, criterion));
    }
  }
  if (selection.candidates.front().fold_scores.empty())
    throw PredictError("model selection: the targets are constant within every fold, so no fold can rank the "
                       "candidates; fix: add samples or use fewer folds");

  // The best is the first candidate (the simplest) whose score ties the
  // highest to rounding (score_ties.hpp): RMSE scores are computed through
  // BLAS and round differently on other machines.
  std::vector<double> negated;
  for (auto& c : selection.candidates) {
    c.mean_score = mean(c.fold_scores);
    negated.push_back(-c.mean_score);
  }
  selection.best = std::min(detail::preferred_lowest(negated), selection.candidates.size() - 1);
  const auto& best = selection.candidates[selection.best];
  selection.selected = selection.best;
  const double min_gain =
      criterion == SelectionCriterion::Rmse ? kMinRelativeRmseGain * -best.mean_score : kMinTauGain;
  for (std::size_t k = selection.candidates.size(); k-- > 0;) {
    auto& c = selection.candidates[k];
    std::vector<double> shortfall(c.fold_scores.size());
    for (std::size_t f = 0; f < shortfall.size(); ++f) shortfall[f] = best.fold_scores[f] - c.fold_scores[f];
    c.deficit = mean(shortfall);
    c.deficit_se = standard_error(shortfall);
    // Walking from the end, the last qualifying candidate is the simplest.
    if (detail::ties_lowest(c.deficit, std::max(c.deficit_se, min_gain))) selection.selected = k;
  }

  selection.model = candidates[selection.selected]();
  selection.model->fit(x, y);
  return selection;
}

std::string selection_table(const ModelSelection& selection) {
  std::string text;
  for (std::size_t k = 0; k < selection.candidates.size(); ++k) {
    const auto& c = selection.candidates[k];
    const auto& s = c.cv.statistics;
    char line[256];
    std::snprintf(line, sizeof line, "%s %-16s tau=%.3f mape=%.3g%% rmse=%.4g  %s=%.4g deficit=%.4f+-%.4f\n",
                  k == selection.selected ? "*" : " ", c.name.c_str(), s.kendall_tau, s.mape, s.rmse,
                  to_string(selection.criterion), c.mean_score, c.deficit, c.deficit_se);
    text += line;
  }
  return text;
}

}  // namespace nasctl::predict
