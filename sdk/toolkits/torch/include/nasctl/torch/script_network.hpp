// NetworkSpec -> TorchScript, and the deployment passes.
//
// The TorchScript module registers the eager network's tensors as its
// parameters and buffers (shared, not copied) and `define()`s a generated
// forward made of aten calls (torch.conv2d, torch.batch_norm, ...). Freezing
// such a module turns the tensors into constants, which lets
// optimize_for_inference fold every batch norm into its convolution and run
// convolutions through oneDNN on the CPU: what a deployment runtime does.
#pragma once

#include <string>

#include <torch/csrc/jit/api/module.h>

#include "nasctl/network_spec.hpp"

namespace nasctl::libtorch {

class EagerNetwork;

// The generated TorchScript source of `forward` for `spec`, referring to the
// attribute names EagerNetwork registers. Exposed for inspection and tests.
std::string script_source(const NetworkSpec& spec);

// A TorchScript module computing the same function as `network`, with the
// same tensors (on whatever device `network` lives), in eval mode, unfrozen.
torch::jit::Module to_script(const EagerNetwork& network);

// torch::jit::freeze followed by torch::jit::optimize_for_inference: the
// "optimized" measurement mode. `scripted` must be in eval mode.
// Known LibTorch 1.13 limitation (fixed in 2.x): on CPU, hardswish and
// hardsigmoid after a oneDNN convolution whose channel count is not a
// multiple of oneDNN's channel block (16 with AVX-512, 8 with AVX2) compute
// only part of the padded tensor, so outputs differ from the eager module
// (latency is unaffected: the same kernels run on the same data).
torch::jit::Module optimize_for_deployment(const torch::jit::Module& scripted);

}  // namespace nasctl::libtorch
