#include "predictor_source.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "nasctl/error.hpp"
#include "nasctl/predict/architecture_table.hpp"
#include "nasctl/predict/table_config.hpp"
#include "nasctl/predict/report_text.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::accuracy::predictor {

namespace {

using predict::report_number;

}  // namespace

std::vector<ConfigKey> PredictorSource::config_keys() {
  std::vector<ConfigKey> keys = predict::table_config_keys();
  keys.push_back(ConfigKey::integer("folds", 5,
                                    "Cross-validation folds used to choose the ridge penalty and to "
                                    "estimate the predictor's accuracy")
                     .at_least(2));
  // A seed of its own (not the run's), so that runs comparing strategies
  // under different seeds all search against the same predictor.
  keys.push_back(ConfigKey::integer("seed", 42, "Seed of the cross-validation split").at_least(0));
  keys.push_back(ConfigKey::boolean("standardize", true,
                                    "Standardise features before the penalty applies (the penalty is not "
                                    "scale-invariant); false penalises raw encoded values"));
  return keys;
}

PredictorSource::PredictorSource(const PluginContext& context)
    : who_("predictor '" + context.instance + "'"),
      raw_(predict::read_metric_table(predict::table_files(context.config), predict::table_columns(context.config))),
      columns_(raw_.columns),
      files_(raw_.files) {
  options_.folds = static_cast<int>(context.config.get_int("folds"));
  options_.seed = static_cast<uint64_t>(context.config.get_int("seed"));
  options_.standardize = context.config.get_bool("standardize");
  for (std::size_t m = 0; m < raw_.metrics.size(); ++m) {
    metrics_.push_back({raw_.metrics[m] + "_pred", predict::unit_of_column(raw_.columns[m]),
                        "ridge-regression prediction of column '" + raw_.columns[m] + "' of the table files"});
  }
}

std::vector<MetricInfo> PredictorSource::metrics() const { return metrics_; }

void PredictorSource::prepare(const SearchSpace& space) {
  const auto start = std::chrono::steady_clock::now();
  const predict::ArchitectureTable table(raw_, space);
  raw_ = {};
  predict::FeatureRows x;
  x.reserve(table.size());
  for (const auto& entry : table.entries()) x.push_back(space.encode(entry.arch));

  Conditions conditions{{"architectures", std::to_string(table.size())},
                        {"repeated_rows_averaged", std::to_string(table.duplicates())},
                        {"features", std::to_string(x.front().size())}};
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    const std::string& name = metrics_[m].name;
    auto model = std::make_unique<predict::RidgeCV>(options_);
    try {
      model->fit(x, table.values(m));
    } catch (const Error& e) {
      throw DataError(who_ + ": metric '" + name + "' (column '" + columns_[m] + "' of " + joined(files_) +
                      "): " + e.what());
    }
    const predict::RidgeCvReport& report = model->report();
    const predict::Statistics& cv = report.cv.statistics;
    spdlog::info("{}: {}: ridge lambda={} fitted on {} architectures x {} features; {}-fold CV: {}", who_, name,
                 report_number(report.lambda), table.size(), x.front().size(), options_.folds, predict::summary(cv));
    if (report.on_grid_edge)
      spdlog::warn(
          "{}: {}: the chosen lambda {} is at the edge of the searched grid; the best penalty may lie "
          "beyond it",
          who_, name, report_number(report.lambda));
    conditions[name + ".lambda"] = report_number(report.lambda);
    conditions[name + ".cv_kendall_tau"] = report_number(cv.kendall_tau);
    conditions[name + ".cv_mape_percent"] = report_number(cv.mape);
    conditions[name + ".cv_rmse"] = report_number(cv.rmse);
    conditions[name + ".cv_within_10_percent"] = report_number(100.0 * cv.within_10);
    conditions[name + ".cv_r_squared"] = report_number(cv.r_squared);
    models_.push_back(std::move(model));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  conditions["fit_seconds"] = report_number(seconds);
  fit_conditions_ = std::move(conditions);
  prepared_ = &space;
}

Metrics PredictorSource::evaluate(const Candidate& candidate) {
  check_prepared(prepared_, candidate.space, who_);
  const std::vector<double> x = candidate.space.encode(candidate.arch);
  Metrics out;
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    try {
      out[metrics_[m].name] = models_[m]->predict_one(x);
    } catch (const Error& e) {
      throw EvaluationError(who_ + ": " + candidate.canonical + ": " + e.what());
    }
  }
  return out;
}

Conditions PredictorSource::conditions() const {
  Conditions c{{"model", "ridge_cv"},
               {"files", joined(files_)},
               {"folds", std::to_string(options_.folds)},
               {"seed", std::to_string(options_.seed)},
               {"standardize", options_.standardize ? "true" : "false"}};
  if (!prepared_) return c;
  for (const auto& [key, value] : fit_conditions_) c[key] = value;
  return c;
}

}  // namespace nasctl::accuracy::predictor
