// CUDA helpers, compiled only against a LibTorch with CUDA (NASCTL_WITH_CUDA).
// The CUDA runner itself is declared in runner.hpp.
#pragma once

#ifdef NASCTL_WITH_CUDA

#include <string>

namespace nasctl::libtorch {

// Name of the current CUDA device, e.g. "NVIDIA H100 80GB HBM3".
std::string cuda_device_name();

// While alive, cuDNN benchmarks its convolution algorithms for each new shape
// and keeps the fastest (torch.backends.cudnn.benchmark), as a deployment
// tuned for its device does; the previous setting comes back afterwards.
class ScopedCudnnBenchmark {
 public:
  ScopedCudnnBenchmark();
  ~ScopedCudnnBenchmark();
  ScopedCudnnBenchmark(const ScopedCudnnBenchmark&) = delete;
  ScopedCudnnBenchmark& operator=(const ScopedCudnnBenchmark&) = delete;

 private:
  bool previous_;
};

}  // namespace nasctl::libtorch

#endif
