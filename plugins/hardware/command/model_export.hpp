// Writing a sub-network as a file a device-side benchmark can load. Until
// nasctl exports ONNX (a later issue), the format is a TorchScript archive
// (torch::jit::Module::save): the scripted module in eval mode, not frozen,
// with seeded random weights (latency does not depend on their values).
// PyTorch Mobile / LibTorch on the device load it with torch.jit.load.
// No LibTorch header here: only model_export.cpp compiles against it.
#pragma once

#include <cstdint>
#include <string>

#include "nasctl/network_spec.hpp"

namespace nasctl::command {

// Throws nasctl::EvaluationError naming the network when LibTorch fails.
void export_torchscript(const NetworkSpec& network, uint64_t seed, const std::string& path);

}  // namespace nasctl::command
