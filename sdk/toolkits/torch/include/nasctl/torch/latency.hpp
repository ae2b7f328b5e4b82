// Measuring the real latency of a NetworkSpec with LibTorch. This header pulls
// in no LibTorch header: the measure plugin and the CLI include it cheaply.
//
// What is measured (see docs/hardware.md, "## measure"):
// - "optimized" (default): the network as a frozen TorchScript module passed
//   through optimize_for_inference (BN folded, oneDNN convolutions on CPU),
//   i.e. what a deployment runtime executes;
// - "eager": the plain module, op by op, as a training framework runs it.
// - "fastest": every inference-ready form (below) is timed and the fastest
//   kept, what a deployment would pick; the default on CUDA, where which form
//   wins depends on the device and the batch.
// On CUDA the forward pass is captured once in a CUDA graph and the replay is
// timed (default): batch-1 eager GPU latency is kernel-launch overhead and
// mis-ranks networks.
//
// How many timed runs, and in which order when several networks are measured
// together, is sampling.hpp's business: at least `repeats`, more until the
// statistic's 95% confidence interval is within ci_target_percent or a cap is
// reached, networks visited round robin.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nasctl/metrics.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/torch/sampling.hpp"

namespace nasctl::libtorch {

enum class Device { Cpu, Cuda };
enum class ExecutionMode { Optimized, Eager, Fastest };
// The inference-ready forms of a network. Optimized mode runs the first,
// eager mode the fourth, fastest mode times them all and keeps the fastest
// (on an H200 the frozen form was not the fastest: batch norms folded by
// hand into an eager module, or left unfolded in TorchScript, ran faster at
// some batch sizes; docs/results.md).
enum class Form {
  FrozenOptimized,  // torch::jit::freeze + optimize_for_inference (BN folded; oneDNN on the CPU)
  Frozen,           // torch::jit::freeze alone (BN folded by freezing)
  Script,           // the TorchScript module unfrozen (BN as its own op), as `nasctl export` writes it
  Eager,            // the plain module, op by op
  EagerFolded,      // the plain module with every batch norm folded into its convolution
};
constexpr int kFormCount = 5;
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
const char* to_string(Form form);
// The forms a mode times: one, or all kFormCount for Fastest.
std::vector<Form> forms_of(ExecutionMode mode);
// The quantile a statistic's confidence interval is about: 0.5 for the
// median, 0.1 for p10; the minimum has no distribution-free interval, so
// the median's stands in for it.
double statistic_quantile(Statistic statistic);

struct LatencyOptions {
  Device device = Device::Cpu;
  ExecutionMode mode = ExecutionMode::Optimized;
  int threads = 1;          // intra-op threads (at::set_num_threads and OpenBLAS)
  int batch = 1;            // samples per forward pass
  int warmup = 10;          // untimed forward passes first
  int repeats = 30;         // timed forward passes, at least (>= 3)
  int max_repeats = 1000;   // timed forward passes, at most
  double ci_target_percent = 2;  // more runs until the statistic's 95% interval is within +-this; 0: `repeats` runs
  double max_seconds = 1;   // no more runs once a network took this long (its `repeats` are always taken)
  int interleave = 64;      // networks measured together, round robin (1: one after another)
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

// The sampling plan the options ask for (5 timed runs per visit of a
// network, one untimed run opening a visit that follows another network's).
SamplingPlan sampling_plan(const LatencyOptions& options);

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

// One network's measurement.
struct Measurement {
  LatencyStats stats;            // of the kept form's timed runs
  Form form = Form::FrozenOptimized;  // the form timed (fastest mode: the fastest)
  std::vector<double> form_ms;   // fastest mode: each form's statistic when the choice was made (NaN: failed)
  double ci_percent = 0;         // the statistic's 95% interval half-width, % of it (sampling.hpp)
  StopReason stop = StopReason::Repeats;
  double seconds = 0;            // time spent timing it (warm-up included, building not)
  std::string error;             // set when it could not be measured; nothing else is then
};

// Builds each network (weights from options.seed) in the mode's forms on the
// device and times them together, up to options.interleave networks at a
// time, round robin (sampling.hpp). Sets the process's intra-op thread count
// to options.threads while measuring (global state: callers measure one batch
// at a time). Throws nasctl::Error for bad options; a network that LibTorch
// cannot build or run gets Measurement::error (first line of LibTorch's
// message) and the others are measured. `on_done(i)`, if set, is called as
// network i's measurement completes.
std::vector<Measurement> measure_interleaved(const std::vector<const NetworkSpec*>& specs,
                                             const LatencyOptions& options,
                                             const std::function<void(std::size_t)>& on_done = {});

// One network: measure_interleaved of it alone. Throws nasctl::Error when it
// cannot be measured.
Measurement measure_latency(const NetworkSpec& spec, const LatencyOptions& options);

// Times `step` on the CPU with std::chrono::steady_clock (and the process's
// CPU time alongside): `warmup` untimed calls, then `repeats` timed samples
// of `back_to_back` calls each, every sample divided by `back_to_back`.
// For any callable (the bench times hand-built modules with it).
LatencyStats time_cpu(const std::function<void()>& step, int warmup, int repeats, int back_to_back = 1);

// The same measured through a given wall clock and CPU clock (milliseconds):
// tests drive it with synthetic clocks.
LatencyStats time_with_clocks(const std::function<void()>& step, int warmup, int repeats, int back_to_back,
                              const std::function<double()>& wall_ms, const std::function<double()>& cpu_ms);

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
// warmup, repeats, max_repeats, ci_target_percent, max_seconds, interleave,
// sampling (how runs are ordered and when they stop), back_to_back (when
// > 1), dtype, mode, forms (fastest mode), device, seed, cuda_graph (CUDA
// only), torch, blas, gpu (CUDA only), statistic, timer.
Conditions measurement_conditions(const LatencyOptions& options);

}  // namespace nasctl::libtorch
