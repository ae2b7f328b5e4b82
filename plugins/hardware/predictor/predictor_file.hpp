// The hardware predictor's model file: version-stamped JSON that embeds, per
// metric, a model in nasctl::predict's own model-file format (model_io.hpp:
// {"format": "nasctl-regressor", "version": 1, "model": ..., "state": ...}),
// plus what is needed to use it safely: the feature names it was fitted on
// and the training summary.
//
//   { "format": "nasctl-hardware-predictor", "version": 1,
//     "features": "both", "feature_names": ["arch[0]", ..., "macs_dense_conv", ...],
//     "training": { "files": [...], "samples": 200 },
//     "metrics": { "latency_ms": { "column": "cpu.latency_ms",
//                                  "cv": { "folds": 5, "n": 200, "mape_percent": ..., "within_10_percent": ...,
//                                          "kendall_tau": ..., "rmse": ..., "r_squared": ... },
//                                  "model": { "format": "nasctl-regressor", ... } } } }
//
// Doubles are written in shortest round-trip form, so a loaded predictor
// predicts bit for bit what the saved one did. Later versions of nasctl
// keep reading version 1; a file of an unknown version is refused.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/predict/regressor.hpp"
#include "nasctl/predict/statistics.hpp"

namespace nasctl::hardware::predictor {

constexpr const char* kPredictorFormat = "nasctl-hardware-predictor";
constexpr int kPredictorFormatVersion = 1;

struct MetricModel {
  std::string column;  // training column
  int folds = 0;
  predict::Statistics cv;  // cross-validated statistics of the training fit
  std::shared_ptr<const predict::Regressor> model;
};

struct PredictorFile {
  std::string features;                    // "both", "architecture" or "network"
  std::vector<std::string> feature_names;  // what each input means, in order
  std::vector<std::string> training_files;
  std::size_t samples = 0;
  std::map<std::string, MetricModel> metrics;  // by metric name
};

// Throws nasctl::DataError naming the path when it cannot be written.
void save_predictor(const PredictorFile& file, const std::string& path);
// Throws nasctl::DataError "path: what; fix: ..." for unreadable text, another
// format or version, or a malformed entry (the embedded model's own checks
// included).
PredictorFile load_predictor(const std::string& path);

}  // namespace nasctl::hardware::predictor
