// CUDA latency: CUDA-graph replay (default) or eager launches, timed with
// CUDA events. Batch-1 GPU latency of a small CNN in eager mode is mostly
// kernel-launch overhead on the host, which mis-ranks networks; a graph
// replay is what a deployment runtime (TensorRT, CUDA graphs) executes.
#include "cuda_timer.hpp"

#include <ATen/Context.h>
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <memory>
#include <utility>
#include <vector>

#include "nasctl/torch/latency.hpp"
#include "runner.hpp"

namespace nasctl::libtorch {

namespace {

// Passes before a capture: the profiling executor specialises its graph on
// the first runs and cuDNN benchmarks algorithms; neither may happen while
// capturing.
constexpr int kMinWarmupBeforeCapture = 3;

class CudaRunner : public Runner {
 public:
  CudaRunner(std::function<at::Tensor()> forward, bool use_graph, int back_to_back)
      : forward_(std::move(forward)),
        // Capture needs a stream other than the legacy default stream;
        // warm-up, capture and replay all use this one.
        stream_(c10::cuda::getStreamFromPool()),
        back_to_back_(back_to_back),
        start_(cudaEventDefault),
        stop_(cudaEventDefault) {
    c10::cuda::CUDAStreamGuard guard(stream_);
    for (int i = 0; i < kMinWarmupBeforeCapture; ++i) forward_();
    stream_.synchronize();
    if (!use_graph) return;
    graph_ = std::make_unique<at::cuda::CUDAGraph>();
    graph_->capture_begin();
    for (int k = 0; k < back_to_back_; ++k) graph_outputs_.push_back(forward_());
    graph_->capture_end();
  }

  void warm(int passes) override {
    c10::cuda::CUDAStreamGuard guard(stream_);
    for (int i = 0; i < passes; ++i) step();
    stream_.synchronize();
  }

  Sample sample() override {
    c10::cuda::CUDAStreamGuard guard(stream_);
    const double cpu_start = process_cpu_ms();
    start_.record(stream_);
    step();
    stop_.record(stream_);
    stop_.synchronize();
    return {static_cast<double>(start_.elapsed_time(stop_)) / back_to_back_,
            (process_cpu_ms() - cpu_start) / back_to_back_};
  }

 private:
  // With a graph, all back_to_back passes are in it: the launch is paid once.
  void step() {
    if (graph_) {
      graph_->replay();
      return;
    }
    for (int k = 0; k < back_to_back_; ++k) forward_();
  }

  std::function<at::Tensor()> forward_;
  c10::cuda::CUDAStream stream_;
  int back_to_back_;
  std::unique_ptr<at::cuda::CUDAGraph> graph_;
  std::vector<at::Tensor> graph_outputs_;  // the graph writes into them on every replay
  at::cuda::CUDAEvent start_;
  at::cuda::CUDAEvent stop_;
};

}  // namespace

std::unique_ptr<Runner> make_cuda_runner(std::function<at::Tensor()> forward, bool use_graph, int back_to_back) {
  return std::make_unique<CudaRunner>(std::move(forward), use_graph, back_to_back);
}

std::string cuda_device_name() { return at::cuda::getCurrentDeviceProperties()->name; }

ScopedCudnnBenchmark::ScopedCudnnBenchmark() : previous_(at::globalContext().benchmarkCuDNN()) {
  at::globalContext().setBenchmarkCuDNN(true);
}

ScopedCudnnBenchmark::~ScopedCudnnBenchmark() { at::globalContext().setBenchmarkCuDNN(previous_); }

}  // namespace nasctl::libtorch
