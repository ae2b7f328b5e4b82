// CUDA timing, compiled only against a LibTorch with CUDA (NASCTL_WITH_CUDA).
#pragma once

#ifdef NASCTL_WITH_CUDA

#include <ATen/core/Tensor.h>

#include <functional>
#include <string>

#include "nasctl/torch/latency.hpp"

namespace nasctl::libtorch {

// Runs `forward` on a side stream: max(warmup, 3) untimed passes (the
// TorchScript profiling executor settles and cuDNN picks its algorithms),
// then, with `use_graph`, captures `back_to_back` passes in a CUDA graph and times
// `repeats` replays (after `warmup` untimed ones); without, times `repeats`
// passes. Each sample is the CUDA-event time between a start event and an
// end event recorded around `back_to_back` passes on the stream (with a
// graph: all of them captured in it, so the graph launch is paid once),
// divided by `back_to_back`.
LatencyStats time_cuda(const std::function<at::Tensor()>& forward, int warmup, int repeats, bool use_graph,
                       int back_to_back);

// Name of the current CUDA device, e.g. "NVIDIA H100 80GB HBM3".
std::string cuda_device_name();

}  // namespace nasctl::libtorch

#endif
