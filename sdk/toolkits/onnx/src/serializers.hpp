// The two serialisers behind model_bytes(); each writes options.network, or
// builds libtorch::EagerNetwork(spec, seed) itself (weights_of). No LibTorch
// or ONNX header here, so model_file.cpp compiles without either.
#pragma once

#include <string>

#include "nasctl/onnx/model_file.hpp"

namespace nasctl::model_export {

// options.network, or a new EagerNetwork(spec, options.seed).
std::shared_ptr<const libtorch::EagerNetwork> weights_of(const NetworkSpec& spec, const ExportOptions& options);

// torch::jit::Module::save of the scripted network (eval mode, not frozen).
std::string torchscript_bytes(const NetworkSpec& spec, const ExportOptions& options);

#ifdef NASCTL_WITH_ONNX
// The ModelProto of onnx_model.hpp, serialised.
std::string onnx_bytes(const NetworkSpec& spec, const ExportOptions& options);
#endif

}  // namespace nasctl::model_export
