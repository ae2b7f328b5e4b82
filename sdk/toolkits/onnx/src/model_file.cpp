// Formats, and the one path both the CLI and the command plugin export by.
#include "nasctl/onnx/model_file.hpp"

#include <exception>

#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "serializers.hpp"

namespace nasctl::model_export {

namespace {

constexpr int kOnnxOpset = 14;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

const char* to_string(ModelFormat format) { return format == ModelFormat::Onnx ? "onnx" : "torchscript"; }

std::optional<ModelFormat> parse_format(std::string_view name) {
  if (name == "onnx") return ModelFormat::Onnx;
  if (name == "torchscript") return ModelFormat::TorchScript;
  return std::nullopt;
}

const char* file_extension(ModelFormat format) { return format == ModelFormat::Onnx ? ".onnx" : ".pt"; }

std::optional<ModelFormat> format_of_path(const std::string& path) {
  for (ModelFormat f : {ModelFormat::Onnx, ModelFormat::TorchScript}) {
    if (ends_with(path, file_extension(f))) return f;
  }
  return std::nullopt;
}

bool onnx_available() {
#ifdef NASCTL_WITH_ONNX
  return true;
#else
  return false;
#endif
}

ModelFormat default_format() { return onnx_available() ? ModelFormat::Onnx : ModelFormat::TorchScript; }

int onnx_opset() { return kOnnxOpset; }

std::string describe(const ExportOptions& options) {
  const std::string seed =
      options.network ? "weights " + options.weights : "weights from seed " + std::to_string(options.seed);
  if (options.format == ModelFormat::TorchScript)
    return "TorchScript archive (torch::jit::Module::save), eval mode, not frozen, any batch, " + seed;
  return "ONNX (opset " + std::to_string(kOnnxOpset) + "), batch " + std::to_string(options.batch) +
         ", BatchNorm folded into Conv, " + seed;
}

std::string model_bytes(const NetworkSpec& spec, const ExportOptions& options) {
  if (options.batch < 1)
    throw Error("model export: batch " + std::to_string(options.batch) + " is not a batch size; fix: use 1 or more");
  if (options.format == ModelFormat::Onnx && !onnx_available())
    throw Error("model export: this nasctl was built without ONNX (libonnx-dev was not found when it was configured); "
                "fix: install libonnx-dev and rebuild nasctl, or export TorchScript");
  try {
#ifdef NASCTL_WITH_ONNX
    if (options.format == ModelFormat::Onnx) return onnx_bytes(spec, options);
#endif
    return torchscript_bytes(spec, options);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));  // LibTorch messages run over many lines
    throw EvaluationError("model export: network '" + spec.name + "': building the " + to_string(options.format) +
                          " model failed: " + what + "; fix: report this with the architecture (nasctl builds every "
                          "network its spaces produce)");
  }
}

void export_model(const NetworkSpec& spec, const ExportOptions& options, const std::string& path) {
  write_file_atomically(path, model_bytes(spec, options), "the model");
}

}  // namespace nasctl::model_export
