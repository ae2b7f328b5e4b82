// Accuracy source "table": metrics looked up in CSV tables of measured
// architectures (e.g. DyNAS-T's OFA MobileNetV3 ImageNet runs).
//
// The files are read and checked when the plugin is constructed (missing
// columns, non-numeric cells fail before the search starts). The
// architectures are parsed on the first evaluation, when the search space is
// known, and keyed by their canonical form; rows of the same architecture are
// averaged (see ArchitectureTable).
//
// An architecture that is not in the table is an EvaluationError by default
// (missing = "error"), since the contract wants a value for every metric. With
// missing = "nan" every metric of such a candidate is NaN, which the run loop
// records as an infeasible candidate, so a search can explore beyond the table.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/metric_provider.hpp"
#include "nasctl/predict/architecture_table.hpp"
#include "nasctl/predict/metric_table.hpp"

namespace nasctl::accuracy::table {

class TableSource : public AccuracySource {
 public:
  explicit TableSource(const PluginContext& context);

  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  Metrics evaluate(const Candidate& candidate) override;
  Conditions conditions() const override;
  // Indexes the table's rows as architectures of `space`.
  void prepare(const SearchSpace& space) override;

 private:
  std::string who_;  // "table '<instance>'", for messages
  bool missing_nan_ = false;
  predict::MetricTable raw_;  // released once indexed
  std::vector<MetricInfo> metrics_;
  std::vector<std::string> files_;
  std::size_t rows_ = 0;
  const SearchSpace* prepared_ = nullptr;
  std::unique_ptr<predict::ArchitectureTable> table_;
};

}  // namespace nasctl::accuracy::table
