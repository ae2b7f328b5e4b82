// The "predictor" hardware plugin: a learned latency (or any metric)
// predictor, for when measuring every candidate is too slow or the device is
// out of reach during the search. It is trained on measured samples: CSV
// files of architecture -> metric, e.g. the evaluations.csv of a `nasctl
// search` that ran the `measure` (or `command`) plugin. Features are the
// space's architecture encoding, the NetworkSpec features of
// network_features.hpp, or both; the model is any of nasctl::predict's
// regressors (ridge_cv, kernel_ridge_cv, gp, auto, ...), shared with the
// accuracy predictors.
//
// The search space arrives with the first candidate, so fitting (or checking
// a loaded model file against this space's features) happens then, once.
// Cross-validated MAPE, share within +-10% and Kendall tau are logged and
// reported in conditions() (so in run.json), as are the same figures on
// held-out `test_files` when given. `model_file`: loaded when it exists
// (no training data needed), otherwise written after fitting.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nasctl/metric_provider.hpp"
#include "nasctl/predict/metric_table.hpp"
#include "predictor_file.hpp"

namespace nasctl::hardware::predictor {

class LatencyPredictor : public MetricProvider {
 public:
  explicit LatencyPredictor(const PluginContext& context);

  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics provide(const Candidate& candidate) override;
  Conditions conditions() const override;

  // The features of one candidate under this instance's feature set.
  std::vector<double> features(const SearchSpace& space, const Architecture& arch, const NetworkSpec& network) const;
  // Fits (or validates the loaded file) for `space`.
  void prepare(const SearchSpace& space) override;
  const PredictorFile& model() const { return model_; }

 private:
  void fit(const SearchSpace& space);
  void check_loaded(const SearchSpace& space) const;
  void report_test(const SearchSpace& space);
  std::vector<std::string> feature_names(const SearchSpace& space) const;

  std::string who_;
  std::string feature_set_;  // "both", "architecture", "network"
  std::string regressor_;
  int folds_ = 5;
  uint64_t seed_ = 42;
  std::string model_file_;   // "" when not configured
  bool loaded_ = false;      // model_ came from model_file_
  predict::TableColumns columns_;
  std::vector<std::string> files_;
  std::vector<std::string> test_files_;
  std::vector<MetricInfo> metrics_;
  PredictorFile model_;
  const SearchSpace* prepared_ = nullptr;
  Conditions fit_conditions_;
};

}  // namespace nasctl::hardware::predictor
