// Model selection by cross-validation: every candidate model family is
// cross-validated on the same folds, and the winner is refitted on all
// samples. Candidates are listed simplest first; a later (more complex) one
// must beat the simpler ones clearly, not by fold-to-fold luck:
//
//   best = the candidate with the highest mean fold score;
//   chosen = the first candidate whose mean paired fold-score deficit to
//            best is within one standard error (the "one-standard-error
//            rule" of Breiman et al., applied to paired differences so that
//            folds that are hard for every model cancel out) or below a
//            minimum gain worth the complexity: 0.01 of Kendall tau, or 2% of
//            the best RMSE. Models that predict almost alike have nearly
//            identical fold scores, so their differences have a tiny standard
//            error; the minimum gain keeps a kernel model from replacing ridge
//            on additive data for a tau gain of 0.004 that changes no search.
//
// The default criterion is Kendall's tau, because a search only ever
// compares candidates: Pareto domination and tournament selection depend on
// the order of predictions, not on their values. RMSE is the criterion for a
// metric compared against a bound (a latency constraint), where the size of
// the error decides feasibility. Reports give tau, MAPE and RMSE for all.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict {

enum class SelectionCriterion { KendallTau, Rmse };

const char* to_string(SelectionCriterion criterion);
// "kendall_tau" or "rmse"; PredictError otherwise.
SelectionCriterion selection_criterion(const std::string& name);

struct CandidateScore {
  std::string name;                 // the candidate's Regressor::name()
  CrossValidation cv;               // out-of-fold predictions, pooled statistics
  std::vector<double> fold_scores;  // criterion per fold, higher is better (tau, or -RMSE)
  double mean_score = 0.0;          // mean of fold_scores
  double deficit = 0.0;             // mean paired shortfall to the best candidate (0 for it)
  double deficit_se = 0.0;          // standard error of that shortfall
};

// Smallest mean gain in Kendall tau for which a later candidate replaces an
// earlier one, and the same for RMSE relative to the best candidate's.
constexpr double kMinTauGain = 0.01;
constexpr double kMinRelativeRmseGain = 0.02;

struct ModelSelection {
  std::unique_ptr<Regressor> model;  // the chosen candidate, fitted on all samples
  std::size_t selected = 0;          // its index in the candidate list
  std::size_t best = 0;              // index of the highest mean fold score
  SelectionCriterion criterion = SelectionCriterion::KendallTau;
  std::vector<CandidateScore> candidates;
};

// Cross-validates each candidate on the same `folds` folds (seeded as
// assign_folds), chooses one as described above and refits it on all
// samples. A fold whose targets are all equal is left out of the scores;
// a candidate whose fold predictions are all equal scores tau 0 there.
// Throws PredictError for no candidates, bad data (as Regressor::fit), too
// few samples for the folds, or a candidate that cannot be fitted on a
// fold's training part (naming the candidate).
ModelSelection select_model(const std::vector<RegressorFactory>& candidates, const FeatureRows& x,
                            const std::vector<double>& y, int folds = 5, uint64_t seed = 42,
                            SelectionCriterion criterion = SelectionCriterion::KendallTau);

// One line per candidate for logs and reports, the chosen one marked:
//   "* kernel_ridge_cv  tau=0.921 mape=0.24% rmse=0.233  score=0.918 deficit=0.000+-0.000"
std::string selection_table(const ModelSelection& selection);

struct AutoRegressorOptions {
  // Model names (make_regressor), simplest first.
  std::vector<std::string> candidates = {"ridge_cv", "kernel_ridge_cv"};
  int folds = 5;
  uint64_t seed = 42;
  SelectionCriterion criterion = SelectionCriterion::KendallTau;
};

// A Regressor ("auto") that runs select_model on every fit and predicts with
// the chosen model. Its model file holds the chosen model and a summary of
// the selection (statistics per candidate).
class AutoRegressor : public Regressor {
 public:
  explicit AutoRegressor(AutoRegressorOptions options = {});

  std::string name() const override { return "auto"; }
  void fit(const FeatureRows& x, const std::vector<double>& y) override;
  bool fitted() const override { return model_ != nullptr; }
  double predict_one(const std::vector<double>& x) const override;
  std::vector<double> predict(const FeatureRows& x) const override;
  nlohmann::json state() const override;
  void restore(const nlohmann::json& state) override;

  const AutoRegressorOptions& options() const { return options_; }
  // The chosen model; null before fit.
  const Regressor* chosen() const { return model_.get(); }
  // The last selection's candidates (statistics only after restore: no
  // out-of-fold predictions), and which was chosen.
  const std::vector<CandidateScore>& candidates() const { return candidates_; }
  std::size_t selected() const { return selected_; }

 private:
  AutoRegressorOptions options_;
  std::unique_ptr<Regressor> model_;
  std::vector<CandidateScore> candidates_;
  std::size_t selected_ = 0;
};

}  // namespace nasctl::predict
