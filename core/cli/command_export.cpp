// `nasctl export`: one sub-network of the config's space written as a model
// file for device-side tools (ONNX, or TorchScript). Only the space plugin is
// loaded: exporting needs no hardware, accuracy or search plugin. The
// weights are seeded random ones (what `measure` times), or with
// --checkpoint the ones the sub-network inherits from a trained
// super-network of the space (nasctl::supernet).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "nasctl/error.hpp"
#include "nasctl/onnx/model_file.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/datasets/image_folder.hpp"
#include "nasctl/datasets/subset.hpp"
#include "nasctl/runtime/session.hpp"
#include "nasctl/supernet/standalone.hpp"
#include "nasctl/supernet/super_network.hpp"

namespace nasctl::cli {

namespace {

using model_export::ModelFormat;

// What follows the last dot of the file name ("" when there is none).
std::string extension_of(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  const std::size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? "" : name.substr(dot);
}

// --format, else the format -o's extension names (stdout: the build's
// default). A known extension that contradicts --format is refused: a
// TorchScript zip named .onnx fails much later, on the device, with a
// confusing message; so is an unknown one without --format, rather than
// guessing.
ModelFormat choose_format(const ExportOptions& options) {
  const std::optional<ModelFormat> by_path = model_export::format_of_path(options.out_file);
  if (options.format.empty() && options.out_file == "-") return model_export::default_format();
  if (options.format.empty() && !by_path) {
    const std::string extension = extension_of(options.out_file);
    throw ConfigError("-o " + options.out_file + ": " +
                      (extension.empty() ? std::string("the file name has no extension")
                                         : "unknown model file extension '" + extension + "'") +
                      "; fix: name the file *.onnx (ONNX) or *.pt (TorchScript archive), or give --format");
  }
  if (options.format.empty()) return *by_path;
  const std::optional<ModelFormat> asked = model_export::parse_format(options.format);
  if (!asked)
    throw ConfigError("--format '" + options.format + "': unknown model format; fix: use onnx or torchscript");
  if (by_path && *by_path != *asked)
    throw ConfigError("-o " + options.out_file + ": the extension says " + model_export::to_string(*by_path) +
                      " but --format is " + options.format + "; fix: name the file *" +
                      model_export::file_extension(*asked) + " or drop --format");
  return *asked;
}

void check_available(ModelFormat format, const ExportOptions& options) {
  if (format != ModelFormat::Onnx || model_export::onnx_available()) return;
  const std::string where = options.format.empty() ? "-o " + options.out_file : "--format onnx";
  throw ConfigError(where + ": ONNX export is not in this nasctl (libonnx-dev was not found when it was "
                    "configured); fix: install libonnx-dev (scripts/install-deps.sh) and rebuild, or export "
                    "TorchScript with --format torchscript -o model.pt");
}

// The space alone: the rest of the config (hardware, accuracy, search) is
// not needed and may name plugins or files this machine does not have.
std::unique_ptr<runtime::Session> open_space(const ConfigOptions& options) {
  runtime::RunConfig config = load_config(options);
  config.hardware.clear();
  config.accuracy.reset();
  config.objectives.clear();
  config.objective_where.clear();
  config.constraints.clear();
  config.constraint_where.clear();
  return runtime::open_session(std::move(config), false);
}

// --checkpoint before anything slow: the file must be there.
void check_checkpoint(const ExportOptions& options) {
  if (options.checkpoint.empty() && !options.recalibrate.empty())
    throw ConfigError("--recalibrate: re-calibrates the batch norms of a sub-network of --checkpoint, and there is "
                      "none; fix: give --checkpoint FILE too");
  if (options.checkpoint.empty()) return;
  if (options.seed_given)
    throw ConfigError("--seed: the weights come from --checkpoint " + options.checkpoint +
                      "; fix: drop --seed (or --checkpoint, for seeded random weights)");
  std::error_code error;
  const auto status = std::filesystem::status(options.checkpoint, error);
  if (!std::filesystem::exists(status))
    throw ConfigError("--checkpoint " + options.checkpoint +
                      ": no such file; fix: give the path of a super-network checkpoint of the config's space");
  if (std::filesystem::is_directory(status))
    throw ConfigError("--checkpoint " + options.checkpoint +
                      ": is a folder; fix: give the checkpoint file (e.g. ofa_mbv3_d234_e346_k357_w1.0)");
  if (options.recalibrate.empty()) return;
  if (options.calibration_images < 1)
    throw ConfigError("--calibration-images " + std::to_string(options.calibration_images) +
                      ": not a number of images; fix: use 1 or more (Once-for-All uses 2000)");
}

// Batch-norm re-calibration's images: a seeded subset of Fashion-MNIST's
// training part (its default split, as the `supernet` accuracy source
// draws it) or of an image folder of training images.
std::shared_ptr<const datasets::Dataset> calibration_images(const ExportOptions& options) {
  std::shared_ptr<const datasets::Dataset> pool;
  if (options.recalibrate == "fashion-mnist") {
    pool = datasets::open_fashion_mnist().train;
  } else {
    datasets::ImageFolderOptions folder;
    folder.root = options.recalibrate;
    folder.threads = 0;
    pool = datasets::open_image_folder(folder);
  }
  return datasets::seeded_subset(pool, static_cast<std::size_t>(options.calibration_images), options.calibration_seed);
}

// The stand-alone network of the sub-network `arch` with the weights and
// batch-norm statistics it inherits from the checkpoint's super-network,
// the statistics re-calibrated first where asked (OFA's
// set_running_statistics: batches of 200).
std::shared_ptr<const libtorch::EagerNetwork> inherited_network(const SearchSpace& space, const Architecture& arch,
                                                                const ExportOptions& options) {
  constexpr std::size_t kCalibrationBatch = 200;
  const supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(space, options.checkpoint);
  supernet::SubNetwork sub = net.activate(arch);
  if (!options.recalibrate.empty()) {
    const TensorShape& input = sub.spec().input;
    std::shared_ptr<const datasets::Dataset> images;
    datasets::ImageShape served;
    try {
      images = calibration_images(options);
      served = images->input_shape(static_cast<int>(input.height));
    } catch (const Error& e) {
      throw ConfigError("--recalibrate " + options.recalibrate + ": " + e.what());
    }
    if (served.channels != input.channels)
      throw ConfigError("--recalibrate " + options.recalibrate + ": its images have " +
                        std::to_string(served.channels) + " channel(s), the sub-network takes " +
                        std::to_string(input.channels) + "; fix: re-calibrate on images like the ones the "
                        "super-network was trained on (space key input_channels)");
    datasets::BatchStream stream = images->read(datasets::all_indices(*images), kCalibrationBatch,
                                                static_cast<int>(input.height));
    sub.recalibrate_batch_norm([&]() -> at::Tensor {
      std::optional<datasets::Batch> batch = stream.next();
      return batch ? batch->images : at::Tensor();
    });
  }
  return supernet::standalone_network(sub);
}

std::string weights_text(const ExportOptions& options) {
  std::string text =
      "inherited from super-network checkpoint " + std::filesystem::path(options.checkpoint).filename().string();
  if (!options.recalibrate.empty())
    text += ", batch norms re-calibrated on " + std::to_string(options.calibration_images) + " images of " +
            options.recalibrate + " (seed " + std::to_string(options.calibration_seed) + ")";
  return text;
}

std::string megabytes(std::uintmax_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

}  // namespace

int run_export_command(const ExportOptions& options) {
  // Everything about the output first: loading the space and building the
  // network take seconds, an unusable -o should not.
  if (options.batch < 1)
    throw ConfigError("--batch " + std::to_string(options.batch) + ": not a batch size; fix: use 1 or more");
  const ModelFormat format = choose_format(options);
  check_available(format, options);
  check_checkpoint(options);
  const bool to_stdout = options.out_file == "-";
  if (to_stdout && ::isatty(STDOUT_FILENO))
    throw ConfigError("-o -: stdout is a terminal and a model file is binary; fix: redirect stdout to a file or "
                      "pipe (nasctl export ... -o - > model.onnx), or name a file with -o");
  const std::filesystem::path folder = std::filesystem::absolute(options.out_file).parent_path();
  if (!to_stdout && !std::filesystem::is_directory(folder))
    throw ConfigError("-o " + options.out_file + ": folder " + folder.string() +
                      " does not exist; fix: create it or write the model elsewhere");

  const auto session = open_space(options.config);
  const SearchSpace& space = *session->space;
  Architecture arch;
  try {
    arch = space.canonicalize(space.parse(options.arch));
  } catch (const Error& e) {
    throw ArchitectureError("--arch: " + std::string(e.what()));
  }
  const std::string canonical = space.to_string(arch);
  const NetworkSpec network = space.lower(arch);

  model_export::ExportOptions export_options;
  export_options.format = format;
  export_options.batch = options.batch;
  export_options.seed = options.seed;
  export_options.metadata = {{"nasctl.space", session->config.space.plugin}, {"nasctl.arch", canonical}};
  if (!options.checkpoint.empty()) {
    export_options.network = inherited_network(space, arch, options);
    export_options.weights = weights_text(options);
  }
  if (to_stdout) {
    // The model is the data on stdout; what was written is said on stderr.
    const std::string bytes = model_export::model_bytes(network, export_options);
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0)
      throw Error("-o -: writing the model to stdout failed (" + std::string(std::strerror(errno)) +
                  "); fix: check the pipe or file stdout goes to");
    std::fprintf(stderr, "stdout: %s, %s\n  arch: %s\n", model_export::describe(export_options).c_str(),
                 megabytes(bytes.size()).c_str(), canonical.c_str());
    return 0;
  }
  model_export::export_model(network, export_options, options.out_file);

  std::fprintf(options.summary_to_stderr ? stderr : stdout, "%s: %s, %s\n  arch: %s\n", options.out_file.c_str(),
               model_export::describe(export_options).c_str(),
               megabytes(std::filesystem::file_size(options.out_file)).c_str(), canonical.c_str());
  return 0;
}

}  // namespace nasctl::cli
