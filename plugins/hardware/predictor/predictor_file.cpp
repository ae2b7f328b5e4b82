#include "predictor_file.hpp"

#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nasctl/error.hpp"
#include "nasctl/predict/model_io.hpp"

namespace nasctl::hardware::predictor {

namespace {

constexpr const char* kRefit = "delete the file (or set refit = true) to fit and write it again";

nlohmann::json statistics_json(const MetricModel& m) {
  return {{"folds", m.folds},
          {"n", m.cv.n},
          {"mape_percent", m.cv.mape},
          {"within_10_percent", 100.0 * m.cv.within_10},
          {"kendall_tau", m.cv.kendall_tau},
          {"rmse", m.cv.rmse},
          {"r_squared", m.cv.r_squared}};
}

// NaN statistics (undefined for the data) are written as null by nlohmann.
double number_or_nan(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

void save_predictor(const PredictorFile& file, const std::string& path) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, m] : file.metrics) {
    metrics[name] = {{"column", m.column},
                     {"cv", statistics_json(m)},
                     {"model", nlohmann::json::parse(predict::to_model_text(*m.model))}};
  }
  const nlohmann::json doc = {{"format", kPredictorFormat},
                              {"version", kPredictorFormatVersion},
                              {"features", file.features},
                              {"feature_names", file.feature_names},
                              {"training", {{"files", file.training_files}, {"samples", file.samples}}},
                              {"metrics", metrics}};
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw DataError(path + ": cannot write the predictor file; fix: check that its folder exists and is writable");
    out << doc.dump(1) << "\n";
    out.flush();
    if (!out) throw DataError(path + ": writing the predictor file failed; fix: check free disk space");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw DataError(path + ": cannot replace the predictor file; fix: check the folder's permissions");
}

PredictorFile load_predictor(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open the predictor file; fix: check the path");
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw DataError(path + ": not JSON; fix: " + kRefit);
  if (doc.value("format", "") != kPredictorFormat)
    throw DataError(path + ": not a nasctl hardware predictor file (no \"format\": \"" + kPredictorFormat + "\"); fix: " + kRefit);
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int>() != kPredictorFormatVersion)
    throw DataError(path + ": predictor file version " + (version == doc.end() ? "(none)" : version->dump()) +
                    ", this nasctl reads version " + std::to_string(kPredictorFormatVersion) + "; fix: " + kRefit);
  PredictorFile file;
  try {
    file.features = doc.at("features").get<std::string>();
    file.feature_names = doc.at("feature_names").get<std::vector<std::string>>();
    file.training_files = doc.at("training").at("files").get<std::vector<std::string>>();
    file.samples = doc.at("training").at("samples").get<std::size_t>();
    for (const auto& [name, entry] : doc.at("metrics").items()) {
      MetricModel m;
      m.column = entry.at("column").get<std::string>();
      const auto& cv = entry.at("cv");
      m.folds = cv.at("folds").get<int>();
      m.cv.n = cv.at("n").get<std::size_t>();
      m.cv.mape = number_or_nan(cv, "mape_percent");
      m.cv.within_10 = number_or_nan(cv, "within_10_percent") / 100.0;
      m.cv.kendall_tau = number_or_nan(cv, "kendall_tau");
      m.cv.rmse = number_or_nan(cv, "rmse");
      m.cv.r_squared = number_or_nan(cv, "r_squared");
      m.model = predict::from_model_text(entry.at("model").dump(), path + ": metric '" + name + "'");
      file.metrics[name] = std::move(m);
    }
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path + ": malformed predictor file (" + std::string(e.what()) + "); fix: " + kRefit);
  }
  if (file.metrics.empty()) throw DataError(path + ": holds no metric models; fix: " + kRefit);
  return file;
}

}  // namespace nasctl::hardware::predictor
