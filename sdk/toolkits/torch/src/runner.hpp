// A Runner times one built form of one network: latency.cpp makes one per
// (network, form) and sampling.hpp's round robin decides which runs when.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>

#include "nasctl/torch/sampling.hpp"

namespace nasctl::libtorch {

class Runner {
 public:
  virtual ~Runner() = default;
  virtual void warm(int passes) = 0;  // untimed forward passes
  virtual Sample sample() = 0;       // one timed sample of back_to_back passes, per pass
};

// Times `forward` with std::chrono::steady_clock and the process CPU time.
std::unique_ptr<Runner> make_cpu_runner(std::function<at::Tensor()> forward, int back_to_back);

#ifdef NASCTL_WITH_CUDA
// cuda_timer.cpp: runs `forward` on a side stream, a few untimed passes first
// (the TorchScript profiling executor settles and cuDNN picks its
// algorithms); with `use_graph`, captures back_to_back passes in a CUDA graph
// now, and samples time its replays with CUDA events.
std::unique_ptr<Runner> make_cuda_runner(std::function<at::Tensor()> forward, bool use_graph, int back_to_back);
#endif

}  // namespace nasctl::libtorch
