// The CUDA side of the spaces' LibTorch tests, run where a GPU is usable
// (the GPU machine; CI has none and skips it, saying so): the module built
// from a NetworkSpec computes on CUDA what it computes on the CPU, eagerly
// and as TorchScript. Embedding lookups, additive causal masks and
// sinusoidal position tables are buffers created on the CPU, so this is
// where a tensor left behind on the wrong device would show.
#pragma once

#include <doctest/doctest.h>

#include <ATen/ATen.h>
#include <ATen/Context.h>

#include "nasctl/network_spec.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/latency.hpp"
#include "nasctl/torch/script_network.hpp"

namespace nasctl::test {

// False (with a MESSAGE naming why) where CUDA cannot be used here.
inline bool cuda_usable() {
  if (libtorch::cuda_device_count() > 0) return true;
  MESSAGE("skipped: no CUDA device (" << libtorch::cuda_unavailable_reason() << ")");
  return false;
}

// Float32 on both sides (TF32 products keep 10 mantissa bits), so the two
// devices' logits agree to float32 accuracy relative to their scale.
inline void check_cuda_matches_cpu(const NetworkSpec& spec) {
  at::globalContext().setAllowTF32CuDNN(false);
  at::globalContext().setAllowTF32CuBLAS(false);
  // Built and moved outside inference mode: moving rewrites the module's
  // tensors in place, which inference tensors do not allow.
  c10::InferenceMode off(false);
  at::NoGradGuard no_grad;
  libtorch::EagerNetwork net(spec, 1);
  const at::Tensor x = libtorch::random_input(spec, 2, 3);
  const at::Tensor on_cpu = net.forward(x);
  const at::Device cuda(at::kCUDA);
  net.to(cuda);
  const at::Tensor eager = net.forward(x.to(cuda));
  CHECK(eager.device().is_cuda());
  torch::jit::Module scripted = libtorch::to_script(net);
  const at::Tensor script = scripted.forward({x.to(cuda)}).toTensor();
  const double scale = on_cpu.abs().max().item<double>();
  REQUIRE(scale > 0.0);
  CHECK((eager.cpu() - on_cpu).abs().max().item<double>() < 1e-4 * scale);
  CHECK((script.cpu() - on_cpu).abs().max().item<double>() < 1e-4 * scale);
}

}  // namespace nasctl::test
