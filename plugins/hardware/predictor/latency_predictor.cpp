#include "latency_predictor.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "nasctl/error.hpp"
#include "nasctl/predict/architecture_table.hpp"
#include "nasctl/predict/cross_validation.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/model_io.hpp"
#include "nasctl/predict/table_config.hpp"
#include "nasctl/predict/report_text.hpp"
#include "nasctl/search_space.hpp"
#include "network_features.hpp"

namespace nasctl::hardware::predictor {

namespace {

using predict::report_number;

std::string unit_of(const std::string& metric, const std::string& column) {
  const std::string unit = predict::unit_of_column(column);
  if (!unit.empty()) return unit;
  auto ends = [&](const char* suffix) {
    const std::string s(suffix);
    return metric.size() > s.size() && metric.compare(metric.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("_ms")) return "ms";
  if (ends("_us")) return "us";
  if (ends("_mj")) return "mJ";
  return "";
}

void add_statistics(Conditions& c, const std::string& prefix, const predict::Statistics& s) {
  c[prefix + "_n"] = std::to_string(s.n);
  c[prefix + "_mape_percent"] = report_number(s.mape);
  c[prefix + "_within_10_percent"] = report_number(100.0 * s.within_10);
  c[prefix + "_kendall_tau"] = report_number(s.kendall_tau);
  c[prefix + "_rmse"] = report_number(s.rmse);
}

}  // namespace

std::vector<ConfigKey> LatencyPredictor::config_keys() {
  std::vector<ConfigKey> keys = predict::table_config_keys();
  for (ConfigKey& key : keys) {
    if (key.name == "files") {
      key.required = false;
      key.doc = "CSV files of measured samples (architecture -> metric), e.g. a `nasctl search` evaluations.csv; "
                "not needed when model_file exists; relative paths resolve against the config file's folder";
    } else if (key.name == "arch_column") {
      key.default_value = std::string("arch");
      key.doc = "Column holding the architecture (\"arch\" in nasctl's evaluations.csv)";
    } else if (key.name == "columns") {
      key.default_value = StringTable{{"latency_ms", "cpu.latency_ms"}};
      key.doc = "Metric name -> column it is learned from, e.g. { latency_ms = \"cpu.latency_ms\" }";
    }
  }
  keys.push_back(ConfigKey::optional("test_files", ConfigType::StringList,
                                     "Held-out CSV files (same columns): MAPE, share within +-10% and Kendall tau on "
                                     "them are logged and written to run.json"));
  keys.push_back(ConfigKey::choice("model", "auto", predict::regressor_names(),
                                   "Regressor of nasctl::predict: auto (ridge_cv or kernel_ridge_cv, chosen by "
                                   "cross-validation), ridge_cv, kernel_ridge_cv, gp, ..."));
  // Default "network": with a few hundred samples the one-hot architecture
  // features overfit (docs/hardware.md: 1.77% vs 2.86% MAPE, tau 0.88 vs 0.77).
  keys.push_back(ConfigKey::choice("features", "network", {"both", "architecture", "network"},
                                   "Inputs: the space's architecture encoding, NetworkSpec features (MACs per op "
                                   "class, parameters, activation sizes, layer counts), or both"));
  keys.push_back(ConfigKey::integer("folds", 5, "Cross-validation folds of the reported accuracy").at_least(2));
  keys.push_back(ConfigKey::integer("seed", 42, "Seed of the cross-validation split").at_least(0));
  keys.push_back(ConfigKey::optional("model_file", ConfigType::Path,
                                     "Predictor file (versioned JSON, format in docs/hardware.md): loaded when it "
                                     "exists, otherwise written after fitting"));
  keys.push_back(ConfigKey::boolean("refit", false, "Fit from `files` even when model_file exists, and overwrite it"));
  return keys;
}

LatencyPredictor::LatencyPredictor(const PluginContext& context)
    : who_("predictor '" + context.instance + "'"),
      feature_set_(context.config.get_string("features")),
      regressor_(context.config.get_string("model")),
      folds_(static_cast<int>(context.config.get_int("folds"))),
      seed_(static_cast<uint64_t>(context.config.get_int("seed"))),
      columns_(predict::table_columns(context.config)) {
  const PluginConfig& config = context.config;
  for (const auto& [metric, column] : columns_.metrics)
    metrics_.push_back({metric, unit_of(metric, column),
                        "Prediction of column '" + column + "' learned from measured samples"});
  if (config.has("model_file")) model_file_ = config.get_path("model_file");
  if (config.has("test_files")) test_files_ = config.get_paths("test_files");

  if (!model_file_.empty() && std::filesystem::exists(model_file_) && !config.get_bool("refit")) {
    model_ = load_predictor(model_file_);
    loaded_ = true;
    std::vector<std::string> file_metrics, wanted;
    for (const auto& [name, m] : model_.metrics) file_metrics.push_back(name);
    for (const auto& [name, column] : columns_.metrics) wanted.push_back(name);
    if (file_metrics != wanted)
      config.fail("columns", "names metrics " + joined(wanted) + " but model_file " + model_file_ + " holds " +
                                 joined(file_metrics) + "; fix: match the columns, or set refit = true");
    if (model_.features != feature_set_)
      config.fail("features", "is \"" + feature_set_ + "\" but model_file " + model_file_ + " was fitted on \"" +
                                  model_.features + "\"; fix: use \"" + model_.features + "\", or set refit = true");
  } else {
    if (!config.has("files"))
      config.fail("files", "is missing; fix: list CSV files of measured samples (e.g. a search's evaluations.csv), "
                           "or point model_file at an existing predictor file");
    files_ = predict::table_files(config);
    // Read now so that file problems stop the run before the search starts.
    predict::read_metric_table(files_, columns_);
  }
  if (!test_files_.empty()) predict::read_metric_table(test_files_, columns_);
}

std::vector<MetricInfo> LatencyPredictor::metrics() const { return metrics_; }

std::vector<std::string> LatencyPredictor::feature_names(const SearchSpace& space) const {
  std::vector<std::string> names;
  if (feature_set_ != "network") {
    for (std::size_t i = 0; i < space.encoding_size(); ++i) names.push_back("arch[" + std::to_string(i) + "]");
  }
  if (feature_set_ != "architecture") {
    for (const auto& name : network_feature_names()) names.push_back(name);
  }
  return names;
}

std::vector<double> LatencyPredictor::features(const SearchSpace& space, const Architecture& arch,
                                               const NetworkSpec& network) const {
  std::vector<double> x;
  if (feature_set_ != "network") x = space.encode(arch);
  if (feature_set_ != "architecture") {
    const std::vector<double> n = network_features(network);
    x.insert(x.end(), n.begin(), n.end());
  }
  return x;
}

void LatencyPredictor::fit(const SearchSpace& space) {
  const auto start = std::chrono::steady_clock::now();
  predict::MetricTable raw = predict::read_metric_table(files_, columns_);
  if (raw.failed_rows > 0) {
    // A run's evaluations.csv keeps its failed evaluations; nothing was measured there.
    fit_conditions_["failed_rows_left_out"] = std::to_string(raw.failed_rows) + " (first: " + raw.first_failed + ")";
    spdlog::info("{}: left out {} failed evaluations (first: {})", who_, raw.failed_rows, raw.first_failed);
  }
  const predict::ArchitectureTable table(std::move(raw), space);
  predict::FeatureRows x;
  x.reserve(table.size());
  for (const auto& entry : table.entries()) x.push_back(features(space, entry.arch, space.lower(entry.arch)));

  model_ = {};
  model_.features = feature_set_;
  model_.feature_names = feature_names(space);
  model_.training_files = files_;
  model_.samples = table.size();
  const std::string model_name = regressor_;
  const predict::RegressorFactory make = [model_name] { return predict::make_regressor(model_name); };
  for (std::size_t m = 0; m < table.metrics().size(); ++m) {
    const std::string& name = table.metrics()[m];
    const std::string& column = columns_.metrics.at(name);
    const std::vector<double> y = table.values(m);
    MetricModel metric;
    metric.column = column;
    metric.folds = folds_;
    try {
      metric.cv = predict::cross_validate(make, x, y, folds_, seed_).statistics;
      std::unique_ptr<predict::Regressor> model = make();
      model->fit(x, y);
      metric.model = std::move(model);
    } catch (const predict::PredictError& e) {
      throw DataError(who_ + ": metric '" + name + "' (column '" + column + "' of " + joined(files_) + ", " +
                      std::to_string(table.size()) + " distinct architectures): " + e.what());
    }
    spdlog::info("{}: {}: {} fitted on {} samples x {} features ({}); {}-fold CV: {}", who_, name, regressor_,
                 table.size(), x.front().size(), feature_set_, folds_, predict::summary(metric.cv));
    model_.metrics[name] = std::move(metric);
  }
  if (!model_file_.empty()) {
    save_predictor(model_, model_file_);
    spdlog::info("{}: wrote {}", who_, model_file_);
  }
  fit_conditions_["fit_seconds"] =
      report_number(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

void LatencyPredictor::check_loaded(const SearchSpace& space) const {
  const std::vector<std::string> names = feature_names(space);
  if (names == model_.feature_names) return;
  std::size_t i = 0;
  while (i < names.size() && i < model_.feature_names.size() && names[i] == model_.feature_names[i]) ++i;
  const std::string theirs = i < model_.feature_names.size() ? model_.feature_names[i] : "(none)";
  const std::string ours = i < names.size() ? names[i] : "(none)";
  throw DataError(model_file_ + ": was fitted on " + std::to_string(model_.feature_names.size()) +
                  " features but this search space gives " + std::to_string(names.size()) + " (feature " +
                  std::to_string(i) + ": '" + theirs + "' vs '" + ours +
                  "'); fix: it belongs to another space or space config: delete it or set refit = true");
}

void LatencyPredictor::report_test(const SearchSpace& space) {
  if (test_files_.empty()) return;
  const predict::ArchitectureTable table(predict::read_metric_table(test_files_, columns_), space);
  predict::FeatureRows x;
  for (const auto& entry : table.entries()) x.push_back(features(space, entry.arch, space.lower(entry.arch)));
  for (std::size_t m = 0; m < table.metrics().size(); ++m) {
    const std::string& name = table.metrics()[m];
    const std::vector<double> predicted = model_.metrics.at(name).model->predict(x);
    const predict::Statistics s = predict::compute_statistics(table.values(m), predicted);
    spdlog::info("{}: {}: held-out test ({}): {}", who_, name, joined(test_files_), predict::summary(s));
    add_statistics(fit_conditions_, name + ".test", s);
  }
}

void LatencyPredictor::prepare(const SearchSpace& space) {
  if (loaded_) {
    check_loaded(space);
    spdlog::info("{}: loaded {} ({} metrics fitted on {} samples)", who_, model_file_, model_.metrics.size(),
                 model_.samples);
  } else {
    fit(space);
  }
  for (const auto& [name, m] : model_.metrics) add_statistics(fit_conditions_, name + ".cv", m.cv);
  report_test(space);
  prepared_ = &space;
}

Metrics LatencyPredictor::provide(const Candidate& candidate) {
  check_prepared(prepared_, candidate.space, who_);
  const std::vector<double> x = features(candidate.space, candidate.arch, candidate.network);
  Metrics out;
  for (const auto& [name, m] : model_.metrics) {
    try {
      out[name] = m.model->predict_one(x);
    } catch (const Error& e) {
      throw EvaluationError(who_ + ": " + candidate.canonical + ": " + e.what());
    }
  }
  return out;
}

Conditions LatencyPredictor::conditions() const {
  Conditions c{{"method", "learned predictor (not a measurement)"},
               {"model", regressor_},
               {"features", feature_set_},
               {"folds", std::to_string(folds_)},
               {"seed", std::to_string(seed_)}};
  if (!files_.empty()) c["files"] = joined(files_);
  if (!test_files_.empty()) c["test_files"] = joined(test_files_);
  if (!model_file_.empty()) c["model_file"] = model_file_ + (loaded_ ? " (loaded)" : " (written)");
  if (!prepared_) return c;
  c["samples"] = std::to_string(model_.samples);
  for (const auto& [key, value] : fit_conditions_) c[key] = value;
  return c;
}

}  // namespace nasctl::hardware::predictor
