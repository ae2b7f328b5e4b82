#include "table_source.hpp"

#include <spdlog/spdlog.h>

#include <limits>

#include "nasctl/error.hpp"
#include "nasctl/predict/table_config.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/text.hpp"

namespace nasctl::accuracy::table {

namespace {

}  // namespace

std::vector<ConfigKey> TableSource::config_keys() {
  std::vector<ConfigKey> keys = predict::table_config_keys();
  keys.push_back(ConfigKey::choice(
      "missing", "error", {"error", "nan"},
      "What an architecture absent from the table gets: \"error\" stops with an evaluation error; \"nan\" gives "
      "NaN for every metric, which the run records as an infeasible candidate"));
  return keys;
}

TableSource::TableSource(const PluginContext& context)
    : who_("table '" + context.instance + "'"),
      missing_nan_(context.config.get_string("missing") == "nan"),
      raw_(predict::read_metric_table(predict::table_files(context.config), predict::table_columns(context.config))),
      files_(raw_.files),
      rows_(raw_.rows.size()) {
  for (std::size_t m = 0; m < raw_.metrics.size(); ++m) {
    metrics_.push_back({raw_.metrics[m], predict::unit_of_column(raw_.columns[m]),
                        "column '" + raw_.columns[m] + "' of the table files"});
  }
}

std::vector<MetricInfo> TableSource::metrics() const { return metrics_; }

void TableSource::prepare(const SearchSpace& space) {
  table_ = std::make_unique<predict::ArchitectureTable>(raw_, space);
  raw_ = {};
  prepared_ = &space;
  spdlog::info("{}: {} rows of {} indexed as {} architectures ({} repeated rows averaged)", who_, rows_, joined(files_),
               table_->size(), table_->duplicates());
}

Metrics TableSource::evaluate(const Candidate& candidate) {
  check_prepared(prepared_, candidate.space, who_);
  Metrics out;
  const predict::ArchitectureTable::Entry* entry = table_->find(candidate.canonical);
  if (entry == nullptr) {
    if (!missing_nan_)
      throw EvaluationError(who_ + ": architecture " + candidate.canonical + " is not in table files " +
                            joined(files_) + "; fix: set missing = \"nan\" or use the predictor source");
    for (const auto& metric : metrics_) out[metric.name] = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  for (std::size_t m = 0; m < metrics_.size(); ++m) out[metrics_[m].name] = entry->values[m];
  return out;
}

Conditions TableSource::conditions() const {
  Conditions c{{"files", joined(files_)}, {"rows", std::to_string(rows_)}, {"missing", missing_nan_ ? "nan" : "error"}};
  if (!prepared_) return c;
  c["architectures"] = std::to_string(table_->size());
  c["repeated_rows_averaged"] = std::to_string(table_->duplicates());
  return c;
}

}  // namespace nasctl::accuracy::table
