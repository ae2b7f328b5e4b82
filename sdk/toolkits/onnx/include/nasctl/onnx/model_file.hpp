// Writing one sub-network as a model file that device-side tools load: ONNX
// (ONNX Runtime's perf test, TensorRT's trtexec, OpenVINO's benchmark_app,
// SNPE/QNN converters) or a TorchScript archive (PyTorch Mobile, LibTorch).
//
// Both formats carry the network `measure` times: the weights come from
// libtorch::EagerNetwork(spec, seed), so a file exported with seed N and a
// local measurement with seed N describe one network, tensor for tensor.
// Or they carry given weights (ExportOptions::network), e.g. a trained
// sub-network's, inherited from a super-network (nasctl::supernet's
// standalone_network).
//
// This header pulls in neither LibTorch nor ONNX: the command plugin and the
// CLI include it cheaply. ONNX support is optional at build time
// (NASCTL_WITH_ONNX, libonnx-dev); onnx_available() says whether this build
// has it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl::libtorch {
class EagerNetwork;
}

// Not nasctl::onnx: inside namespace nasctl a nested `onnx` would shadow the
// ONNX library's ::onnx for every unqualified use.
namespace nasctl::model_export {

enum class ModelFormat { Onnx, TorchScript };

// "onnx", "torchscript".
const char* to_string(ModelFormat format);
// The format named `name` (as to_string writes it); nullopt otherwise.
std::optional<ModelFormat> parse_format(std::string_view name);
// The file extension tools expect: ".onnx", ".pt".
const char* file_extension(ModelFormat format);
// The format whose extension `path` ends with; nullopt for any other name.
std::optional<ModelFormat> format_of_path(const std::string& path);

// Whether this nasctl was built with ONNX export (libonnx-dev found when it
// was configured).
bool onnx_available();
// ONNX where available (what device tools take), else TorchScript.
ModelFormat default_format();
// The ONNX operator set (default domain) every exported model imports: 14,
// the first with HardSwish, so runtimes as old as the ONNX 1.9 era load it.
int onnx_opset();

struct ExportOptions {
  ModelFormat format = ModelFormat::Onnx;
  // ONNX: the input's (fixed) batch dimension, which static-shape tools such
  // as trtexec need. A TorchScript module takes any batch.
  int64_t batch = 1;
  // Weights: EagerNetwork(spec, seed); `measure`'s `seed` key is the same.
  uint64_t seed = 0;
  // Given weights instead of seeded ones: this network's tensors (its spec
  // must be the exported spec, layer for layer; batch norms not folded).
  // `weights` says where they come from, for describe() and the ONNX
  // metadata ("nasctl.weights"), e.g. "inherited from super-network
  // checkpoint ofa.pth".
  std::shared_ptr<const libtorch::EagerNetwork> network;
  std::string weights;
  // ONNX only: extra metadata_props, e.g. {"arch", canonical text}.
  std::vector<std::pair<std::string, std::string>> metadata;
};

// What the file holds, one line (for run.json's measurement conditions),
// e.g. "ONNX (opset 14), batch 1, BatchNorm folded into Conv, weights from seed 0"
// (with given weights: "weights " + options.weights).
std::string describe(const ExportOptions& options);

// The serialised model. Throws nasctl::Error when ONNX is asked of a build
// without it, batch < 1, or options.network holds another spec;
// EvaluationError naming the network when the network cannot be built or
// serialised.
std::string model_bytes(const NetworkSpec& spec, const ExportOptions& options);

// model_bytes() written to `path` through a temporary file in the same folder
// and rename(2): a reader never sees half a file, and a failure (missing or
// read-only folder, full disk) leaves neither the file nor the temporary
// behind. Throws nasctl::Error "<path>: ...; fix: ...".
void export_model(const NetworkSpec& spec, const ExportOptions& options, const std::string& path);

}  // namespace nasctl::model_export
