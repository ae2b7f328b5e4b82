// The interface every predictor model implements. Ridge regression is the
// first; Gaussian processes, kernel models and model selection grow behind it,
// and cross_validate(), the model files and the predictor accuracy source only
// ever see a Regressor.
//
// A sample is a std::vector<double> of features (e.g. SearchSpace::encode()).
// fit() replaces any previous fit. Once fitted, the const methods may be
// called from several threads at once.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace nasctl::predict {

// Samples as rows: x[i] is the feature vector of sample i.
using FeatureRows = std::vector<std::vector<double>>;

class Regressor {
 public:
  virtual ~Regressor();
  Regressor() = default;
  Regressor(const Regressor&) = delete;
  Regressor& operator=(const Regressor&) = delete;

  // Stable identifier, written to model files and logs, e.g. "ridge".
  virtual std::string name() const = 0;

  // Throws PredictError when the data cannot be learned from: mismatched
  // lengths, ragged rows, NaN/inf, too few samples, constant targets.
  virtual void fit(const FeatureRows& x, const std::vector<double>& y) = 0;
  virtual bool fitted() const = 0;

  // Throws PredictError when not fitted, or x has the wrong width or NaNs.
  virtual double predict_one(const std::vector<double>& x) const = 0;
  // Default: predict_one() per row.
  virtual std::vector<double> predict(const FeatureRows& x) const;

  // Settings and fitted parameters as a JSON object; restore(state()) on a
  // fresh model of the same name() reproduces predictions bit for bit.
  // Model files (model_io.hpp) wrap it with the format name and version.
  virtual nlohmann::json state() const = 0;
  // Throws DataError (without a file prefix: the caller adds it) when the
  // state is inconsistent.
  virtual void restore(const nlohmann::json& state) = 0;
};

// Makes a fresh, unfitted model; cross-validation fits one per fold.
using RegressorFactory = std::function<std::unique_ptr<Regressor>()>;

}  // namespace nasctl::predict
