// Accuracy source "predictor": a ridge-regression predictor per table column,
// fitted on the architectures of CSV tables (the `table` plugin's files and
// keys) with the search space's numeric encoding (SearchSpace::encode) as
// features. It answers for any architecture, in the table or not.
//
// Metric names are the column metric names with "_pred" appended (top1 ->
// top1_pred), so a config that uses both sources never mixes a measured
// value with a predicted one. The space arrives with the first candidate, so
// the fit happens then, once (lambda by k-fold cross-validation, see
// RidgeCV); its cross-validated Kendall tau and MAPE are logged and reported
// in conditions(), hence in run.json.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nasctl/metric_provider.hpp"
#include "nasctl/predict/metric_table.hpp"
#include "nasctl/predict/ridge.hpp"

namespace nasctl::accuracy::predictor {

class PredictorSource : public AccuracySource {
 public:
  explicit PredictorSource(const PluginContext& context);

  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const Candidate& candidate) override;
  Conditions conditions() const override;
  // Fits one model per metric on the table's rows, encoded by `space`.
  void prepare(const SearchSpace& space) override;

  // The fitted model of each metric, in metrics() order (empty before
  // prepare()).
  const std::vector<std::unique_ptr<predict::RidgeCV>>& models() const { return models_; }

 private:
  std::string who_;  // "predictor '<instance>'", for messages
  predict::RidgeCvOptions options_;
  predict::MetricTable raw_;  // released once fitted
  std::vector<MetricInfo> metrics_;
  std::vector<std::string> columns_;
  std::vector<std::string> files_;
  const SearchSpace* prepared_ = nullptr;
  std::vector<std::unique_ptr<predict::RidgeCV>> models_;
  Conditions fit_conditions_;
};

}  // namespace nasctl::accuracy::predictor
