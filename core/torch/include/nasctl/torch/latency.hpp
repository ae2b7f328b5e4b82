// Measuring the real latency of a NetworkSpec with LibTorch. This header pulls
// in no LibTorch header: the measure plugin and the CLI include it cheaply.
//
// What is measured (see docs/hardware.md, "## measure"):
// - "optimized" (default): the network as a frozen TorchScript module passed
//   through optimize_for_inference (BN folded, oneDNN convolutions on CPU),
//   i.e. what a deployment runtime executes;
// - "eager": the plain module, op by op, as a training framework runs it.
// On CUDA the forward pass is captured once in a CUDA graph and the replay is
// timed (default): batch-1 eager GPU latency is kernel-launch overhead and
// mis-ranks networks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nasctl/metrics.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl::libtorch {

enum class Device { Cpu, Cuda };
enum class ExecutionMode { Optimized, Eager };
// Which order statistic of the timed runs a measurement reports. The median
// is the usual figure on a quiet machine. Where other processes share the
// cores they only ever add time, so the low end of the runs repeats best:
// on the shared 2-core VM, pass-to-pass Kendall tau of 50 OFA networks was
// 0.73 with the median, 0.86 with the minimum, 0.91 with the 10th
// percentile (docs/results.md).
enum class Statistic { Median, P10, Min };

const char* to_string(Device device);
const char* to_string(ExecutionMode mode);
const char* to_string(Statistic statistic);

struct LatencyOptions {
  Device device = Device::Cpu;
  ExecutionMode mode = ExecutionMode::Optimized;
  int threads = 1;          // intra-op threads (at::set_num_threads and OpenBLAS)
  int batch = 1;            // samples per forward pass
  int warmup = 10;          // untimed forward passes first
  int repeats = 30;         // timed forward passes (>= 3)
  bool cuda_graph = true;   // CUDA only: time CUDA-graph replays
  // Forward passes run back to back in each timed sample (on CUDA captured
  // in one graph); the sample is the per-pass share. 1 for whole networks:
  // a deployed network pays its launch and call costs once per inference.
  // More for a lone layer of a lookup table, which would otherwise carry
  // that fixed cost in every entry (see docs/hardware.md, "Isolation").
  int back_to_back = 1;
  uint64_t seed = 0;        // weights and input
  Statistic statistic = Statistic::Median;  // what latency_figure() reports
};

// Throws nasctl::Error "latency options: ...; fix: ..." for values that cannot
// be measured (threads < 1, repeats < 3, CUDA without a CUDA build or GPU).
void check_options(const LatencyOptions& options);

// Order statistics of the timed runs, milliseconds per forward pass.
struct LatencyStats {
  std::vector<double> samples_ms;  // in the order measured
  double median_ms = 0;
  double mean_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
  double p10_ms = 0;
  double p90_ms = 0;
  // (p90 - p10) / median: the width of the central 80% of the runs relative
  // to the median. Robust to a single outlier, unlike (max - min) / median.
  double relative_spread = 0;
  // CPU time the whole process spent per timed run (all threads), median.
  // On an idle machine with one thread it equals median_ms; when other
  // processes compete for the cores the wall-clock figures grow and this
  // one does not, so it is the steadier figure on shared machines. With
  // CUDA it is the host's time (launching, waiting).
  std::vector<double> cpu_samples_ms;
  double cpu_median_ms = 0;
  double cpu_p10_ms = 0;
  double cpu_min_ms = 0;
};

// The statistic's value: of the wall-clock (or CUDA-event) samples, or with
// `cpu` of the process CPU-time samples.
double latency_figure(const LatencyStats& stats, Statistic statistic, bool cpu = false);

// Sorts a copy of the samples and fills the statistics (linear interpolation
// between order statistics for percentiles). Throws nasctl::Error when empty.
// cpu_samples_ms (optional, same length) fills the cpu_* figures.
LatencyStats summarize_latency(std::vector<double> samples_ms, std::vector<double> cpu_samples_ms = {});

// CPU time consumed by this process so far, all threads (ms).
double process_cpu_ms();

// Builds the network described by `spec` (weights from options.seed), in the
// requested mode on the requested device, and times it. Sets the process's
// intra-op thread count to options.threads (global state: callers measure one
// network at a time). Throws nasctl::Error for bad options; LibTorch errors
// propagate as std::exception.
LatencyStats measure_latency(const NetworkSpec& spec, const LatencyOptions& options);

// Times `step` on the CPU with std::chrono::steady_clock (and the process's
// CPU time alongside): `warmup` untimed calls, then `repeats` timed samples
// of `back_to_back` calls each, every sample divided by `back_to_back`.
// For any callable (the bench times hand-built modules with it).
LatencyStats time_cpu(const std::function<void()>& step, int warmup, int repeats, int back_to_back = 1);

// --- the machine --------------------------------------------------------

// Whether this nasctl_torch was compiled against a LibTorch with CUDA.
bool built_with_cuda();
// Number of CUDA devices LibTorch sees (0 in a CPU-only build).
int cuda_device_count();
// Empty when CUDA latency can be measured here; otherwise why not and the
// fix, as one line ("...; fix: ...").
std::string cuda_unavailable_reason();
// LibTorch's version, e.g. "1.13.1".
std::string torch_version();

// Sets LibTorch's intra-op threads and, when OpenBLAS is the BLAS in use,
// OpenBLAS's own thread pool (LibTorch does not size it, and eager 1x1
// convolutions on CPU go through BLAS gemm).
void set_threads(int threads);

// The BLAS LibTorch calls: OpenBLAS's own description (openblas_get_config)
// when OpenBLAS is loaded, plus LibTorch's BLAS_INFO build setting.
std::string blas_in_use();

// A value from at::show_config(): a build setting ("BLAS_INFO") or a line
// label ("CPU capability usage"); "unknown" when absent.
std::string torch_build_setting(const std::string& name);

// Everything needed to reproduce a measurement, for run.json: cpu (model
// name), cpu_capability (ATen's vector ISA), governor, threads, batch,
// warmup, repeats, back_to_back (when > 1), dtype, mode, device, seed,
// cuda_graph (CUDA only), torch, blas, gpu (CUDA only), statistic, timer.
Conditions measurement_conditions(const LatencyOptions& options);

}  // namespace nasctl::libtorch
