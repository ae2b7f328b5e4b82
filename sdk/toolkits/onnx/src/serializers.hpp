// The two serialisers behind model_bytes(); each builds
// libtorch::EagerNetwork(spec, seed) itself. No LibTorch or ONNX header here,
// so model_file.cpp compiles without either.
#pragma once

#include <string>

#include "nasctl/onnx/model_file.hpp"

namespace nasctl::model_export {

// torch::jit::Module::save of the scripted network (eval mode, not frozen).
std::string torchscript_bytes(const NetworkSpec& spec, uint64_t seed);

#ifdef NASCTL_WITH_ONNX
// The ModelProto of onnx_model.hpp, serialised.
std::string onnx_bytes(const NetworkSpec& spec, const ExportOptions& options);
#endif

}  // namespace nasctl::model_export
