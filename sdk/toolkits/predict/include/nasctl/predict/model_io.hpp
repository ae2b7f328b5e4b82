// Model files: a fitted Regressor as version-stamped JSON text,
//   { "format": "nasctl-regressor", "version": 1, "model": "ridge", "state": {...} }
// Doubles are written in shortest round-trip form, so a loaded model predicts
// bit for bit what the saved one did. A file of another format version is
// refused rather than guessed at.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict {

constexpr const char* kModelFormat = "nasctl-regressor";
constexpr int kModelFormatVersion = 1;

// A fresh model by name() (one of regressor_names()); PredictError lists the names.
std::unique_ptr<Regressor> make_regressor(const std::string& name);
std::vector<std::string> regressor_names();

// Throws PredictError when the model is not fitted.
std::string to_model_text(const Regressor& model);
// `where` (a file name) prefixes errors: DataError for text that is not JSON,
// another format or version, an unknown model name or an inconsistent state.
std::unique_ptr<Regressor> from_model_text(std::string_view text, const std::string& where);

void save_regressor(const Regressor& model, const std::string& path);
std::unique_ptr<Regressor> load_regressor(const std::string& path);

}  // namespace nasctl::predict
