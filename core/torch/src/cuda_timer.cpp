// CUDA latency: CUDA-graph replay (default) or eager launches, timed with
// CUDA events. Batch-1 GPU latency of a small CNN in eager mode is mostly
// kernel-launch overhead on the host, which mis-ranks networks; a graph
// replay is what a deployment runtime (TensorRT, CUDA graphs) executes.
#include "cuda_timer.hpp"

#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace nasctl::libtorch {

namespace {

// Passes before a capture: the profiling executor specialises its graph on
// the first runs and cuDNN benchmarks algorithms; neither may happen while
// capturing.
constexpr int kMinWarmupBeforeCapture = 3;

}  // namespace

LatencyStats time_cuda(const std::function<at::Tensor()>& forward, int warmup, int repeats, bool use_graph,
                       int back_to_back) {
  // Capture needs a stream other than the legacy default stream; warm-up,
  // capture and replay all use this one.
  c10::cuda::CUDAStream stream = c10::cuda::getStreamFromPool();
  c10::cuda::CUDAStreamGuard guard(stream);
  const int untimed = use_graph ? std::max(warmup, kMinWarmupBeforeCapture) : warmup;
  for (int i = 0; i < untimed; ++i) forward();
  stream.synchronize();

  at::cuda::CUDAGraph graph;
  std::vector<at::Tensor> graph_outputs;  // the graph writes into them on every replay
  std::function<void()> step = [&] {
    for (int k = 0; k < back_to_back; ++k) forward();
  };
  if (use_graph) {
    graph.capture_begin();
    for (int k = 0; k < back_to_back; ++k) graph_outputs.push_back(forward());
    graph.capture_end();
    for (int i = 0; i < warmup; ++i) graph.replay();
    stream.synchronize();
    step = [&] { graph.replay(); };
  }

  at::cuda::CUDAEvent start(cudaEventDefault);
  at::cuda::CUDAEvent stop(cudaEventDefault);
  std::vector<double> samples, cpu_samples;
  samples.reserve(static_cast<std::size_t>(repeats));
  cpu_samples.reserve(static_cast<std::size_t>(repeats));
  for (int i = 0; i < repeats; ++i) {
    const double cpu_start = process_cpu_ms();
    start.record(stream);
    step();
    stop.record(stream);
    stop.synchronize();
    cpu_samples.push_back((process_cpu_ms() - cpu_start) / back_to_back);
    samples.push_back(static_cast<double>(start.elapsed_time(stop)) / back_to_back);
  }
  return summarize_latency(std::move(samples), std::move(cpu_samples));
}

std::string cuda_device_name() { return at::cuda::getCurrentDeviceProperties()->name; }

}  // namespace nasctl::libtorch
