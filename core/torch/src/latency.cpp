// measure_latency: build the network in the requested mode and time it.
#include "nasctl/torch/latency.hpp"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <malloc.h>

#include <memory>
#include <string>

#include "cuda_timer.hpp"
#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/script_network.hpp"
#include "nasctl/torch/resize_warning_filter.hpp"

namespace nasctl::libtorch {

const char* to_string(Device device) { return device == Device::Cuda ? "cuda" : "cpu"; }
const char* to_string(ExecutionMode mode) { return mode == ExecutionMode::Eager ? "eager" : "optimized"; }
const char* to_string(Statistic statistic) {
  switch (statistic) {
    case Statistic::Median: return "median";
    case Statistic::P10: return "p10";
    case Statistic::Min: return "min";
  }
  return "median";
}

void check_options(const LatencyOptions& o) {
  auto fail = [](const std::string& what) { throw Error("latency options: " + what); };
  if (o.threads < 1) fail("threads " + std::to_string(o.threads) + " < 1; fix: use at least one thread");
  if (o.batch < 1) fail("batch " + std::to_string(o.batch) + " < 1; fix: use a batch of at least 1");
  if (o.warmup < 0) fail("warmup " + std::to_string(o.warmup) + " < 0; fix: use 0 or more warm-up runs");
  if (o.repeats < 3)
    fail("repeats " + std::to_string(o.repeats) + " < 3; fix: time at least 3 runs (percentiles need them)");
  if (o.back_to_back < 1)
    fail("back_to_back " + std::to_string(o.back_to_back) + " < 1; fix: run at least one pass per timed sample");
  if (o.device != Device::Cuda) return;
  const std::string why = cuda_unavailable_reason();
  if (!why.empty()) fail("device cuda: " + why);
}

namespace {

// The measurement's thread count applies to the measurement only: the rest
// of the process (predictor fits in strategies) keeps its own, so results do
// not depend on a hardware instance's `threads`.
// Freed tensors of a forward pass are large; by default glibc hands them
// back to the kernel after each pass (heap trimming, adaptive mmap
// threshold), so every timed pass pays page faults a deployed runtime, with
// its heap in steady state, does not. Measured on the CPU VM: a layer timed
// alone went from 4.5 ms to 0.83 ms, and five separate measurements of the
// smallest OFA network spread 5.8-8.4 ms before and 5.9-6.0 ms (one outlier)
// after. Fixed thresholds keep freed memory mapped for the whole process.
void keep_freed_memory_mapped() {
  static const bool once = [] {
    ::mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // the largest glibc accepts on 64-bit
    ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return true;
  }();
  (void)once;
}

class ScopedThreads {
 public:
  explicit ScopedThreads(int threads) : previous_(at::get_num_threads()) { set_threads(threads); }
  ~ScopedThreads() { set_threads(previous_); }
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  int previous_;
};

}  // namespace

LatencyStats measure_latency(const NetworkSpec& spec, const LatencyOptions& o) {
  check_options(o);
  keep_freed_memory_mapped();
  ScopedThreads threads(o.threads);
  auto network = std::make_shared<EagerNetwork>(spec, o.seed);
  at::Tensor input = random_input(spec, o.batch, o.seed + 1);
  if (o.device == Device::Cuda) {
    network->to(at::Device(at::kCUDA));
    input = input.to(at::Device(at::kCUDA));
  }

  torch::jit::Module optimized;
  std::function<at::Tensor()> forward = [&] { return network->forward(input); };
  if (o.mode == ExecutionMode::Optimized) {
    optimized = optimize_for_deployment(to_script(*network));
    forward = [&] { return optimized.forward({input}).toTensor(); };
  }

  // No autograd bookkeeping: inference is what is measured.
  c10::InferenceMode inference;
  ScopedResizeWarningFilter quiet;  // see resize_warning_filter.hpp
#ifdef NASCTL_WITH_CUDA
  if (o.device == Device::Cuda) return time_cuda(forward, o.warmup, o.repeats, o.cuda_graph, o.back_to_back);
#endif
  return time_cpu([&] { forward(); }, o.warmup, o.repeats, o.back_to_back);
}

}  // namespace nasctl::libtorch
