// Model files. The envelope (format, version, model name) is checked before
// the model sees its state, so a file from another nasctl version or another
// program is refused with a message that says which.
#include "nasctl/predict/model_io.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nasctl/error.hpp"
#include "nasctl/predict/error.hpp"
#include "nasctl/predict/gaussian_process.hpp"
#include "nasctl/predict/kernel_ridge.hpp"
#include "nasctl/predict/model_selection.hpp"
#include "nasctl/predict/ridge.hpp"

namespace nasctl::predict {

namespace {

// A string member, or "" when it is absent or not a string.
std::string text_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string names_text() {
  std::string s;
  for (const auto& name : regressor_names()) s += (s.empty() ? "" : ", ") + name;
  return s;
}

}  // namespace

std::vector<std::string> regressor_names() { return {"ridge", "ridge_cv", "gp", "kernel_ridge", "kernel_ridge_cv", "auto"}; }

std::unique_ptr<Regressor> make_regressor(const std::string& name) {
  if (name == "ridge") return std::make_unique<Ridge>();
  if (name == "ridge_cv") return std::make_unique<RidgeCV>();
  if (name == "gp") return std::make_unique<GaussianProcess>();
  if (name == "kernel_ridge") return std::make_unique<KernelRidge>();
  if (name == "kernel_ridge_cv") return std::make_unique<KernelRidgeCV>();
  if (name == "auto") return std::make_unique<AutoRegressor>();
  throw PredictError("regressor '" + name + "' is unknown; fix: use one of " + names_text());
}

std::string to_model_text(const Regressor& model) {
  if (!model.fitted()) throw PredictError(model.name() + ": cannot save a model that is not fitted; fix: fit it first");
  const nlohmann::json file = {
      {"format", kModelFormat}, {"version", kModelFormatVersion}, {"model", model.name()}, {"state", model.state()}};
  return file.dump(1) + "\n";
}

std::unique_ptr<Regressor> from_model_text(std::string_view text, const std::string& where) {
  nlohmann::json file;
  try {
    file = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // Not only parse_error: a number too large for a double is out_of_range
    // (found by fuzzing).
    throw DataError(where + ": not a JSON model file (" + e.what() + "); fix: pass a file written by save_regressor");
  }
  if (!file.is_object() || text_field(file, "format") != kModelFormat)
    throw DataError(where + ": not a nasctl model file (no \"format\": \"" + kModelFormat +
                    "\"); fix: pass a file written by save_regressor");
  const auto version = file.find("version");
  if (version == file.end() || !version->is_number_integer() || version->get<int>() != kModelFormatVersion)
    throw DataError(where + ": model file format version " + (version == file.end() ? "(none)" : version->dump()) +
                    ", this nasctl reads version " + std::to_string(kModelFormatVersion) +
                    "; fix: refit the model with this nasctl and save it again");
  const std::string name = text_field(file, "model");
  std::unique_ptr<Regressor> model;
  try {
    model = make_regressor(name);
  } catch (const PredictError&) {
    throw DataError(where + ": model '" + name + "' is unknown to this nasctl; fix: use a file of one of " +
                    names_text());
  }
  try {
    model->restore(file.at("state"));
  } catch (const nlohmann::json::exception& e) {
    throw DataError(where + ": " + name + " state is malformed (" + e.what() +
                    "); fix: save the model again with save_regressor");
  } catch (const DataError& e) {
    throw DataError(where + ": " + e.what());
  }
  return model;
}

void save_regressor(const Regressor& model, const std::string& path) {
  const std::string text = to_model_text(model);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw DataError(path + ": cannot write the model file; fix: check that the folder exists and is writable");
  out << text;
  out.flush();
  if (!out) throw DataError(path + ": writing the model file failed; fix: check free disk space");
}

std::unique_ptr<Regressor> load_regressor(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open the model file; fix: check the path");
  std::ostringstream text;
  text << in.rdbuf();
  return from_model_text(text.str(), path);
}

}  // namespace nasctl::predict
