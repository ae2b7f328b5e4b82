// measure_interleaved: build each network in its mode's forms and time them
// together (sampling.hpp decides which runs when).
#include "nasctl/torch/latency.hpp"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/jit/api/module.h>

#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <string>

#include "cuda_timer.hpp"
#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/resize_warning_filter.hpp"
#include "nasctl/torch/script_network.hpp"
#include "nasctl/torch/steady_heap.hpp"
#include "runner.hpp"

namespace nasctl::libtorch {

const char* to_string(Device device) { return device == Device::Cuda ? "cuda" : "cpu"; }
const char* to_string(ExecutionMode mode) {
  switch (mode) {
    case ExecutionMode::Optimized: return "optimized";
    case ExecutionMode::Eager: return "eager";
    case ExecutionMode::Fastest: return "fastest";
  }
  return "optimized";
}
const char* to_string(Statistic statistic) {
  switch (statistic) {
    case Statistic::Median: return "median";
    case Statistic::P10: return "p10";
    case Statistic::Min: return "min";
  }
  return "median";
}
const char* to_string(Form form) {
  switch (form) {
    case Form::FrozenOptimized: return "frozen+optimize_for_inference";
    case Form::Frozen: return "frozen";
    case Form::Script: return "torchscript";
    case Form::Eager: return "eager";
    case Form::EagerFolded: return "eager+bn_folded";
  }
  return "frozen+optimize_for_inference";
}

std::vector<Form> forms_of(ExecutionMode mode) {
  switch (mode) {
    case ExecutionMode::Optimized: return {Form::FrozenOptimized};
    case ExecutionMode::Eager: return {Form::Eager};
    case ExecutionMode::Fastest: return {Form::FrozenOptimized, Form::Frozen, Form::Script, Form::Eager, Form::EagerFolded};
  }
  return {Form::FrozenOptimized};
}

double statistic_quantile(Statistic statistic) { return statistic == Statistic::P10 ? 0.1 : 0.5; }

void check_options(const LatencyOptions& o) {
  auto fail = [](const std::string& what) { throw Error("latency options: " + what); };
  if (o.threads < 1) fail("threads " + std::to_string(o.threads) + " < 1; fix: use at least one thread");
  if (o.batch < 1) fail("batch " + std::to_string(o.batch) + " < 1; fix: use a batch of at least 1");
  if (o.warmup < 0) fail("warmup " + std::to_string(o.warmup) + " < 0; fix: use 0 or more warm-up runs");
  if (o.repeats < 3)
    fail("repeats " + std::to_string(o.repeats) + " < 3; fix: time at least 3 runs (percentiles need them)");
  if (o.max_repeats < o.repeats)
    fail("max_repeats " + std::to_string(o.max_repeats) + " < repeats " + std::to_string(o.repeats) +
         "; fix: set max_repeats >= repeats");
  if (!(o.ci_target_percent >= 0))
    fail("ci_target_percent < 0; fix: give a percentage, or 0 to time exactly `repeats` runs");
  if (!(o.max_seconds >= 0)) fail("max_seconds < 0; fix: give a number of seconds");
  if (o.interleave < 1)
    fail("interleave " + std::to_string(o.interleave) + " < 1; fix: measure at least one network at a time");
  if (o.back_to_back < 1)
    fail("back_to_back " + std::to_string(o.back_to_back) + " < 1; fix: run at least one pass per timed sample");
  if (o.device != Device::Cuda) return;
  const std::string why = cuda_unavailable_reason();
  if (!why.empty()) fail("device cuda: " + why);
}

SamplingPlan sampling_plan(const LatencyOptions& o) {
  SamplingPlan p;
  p.warmup = o.warmup;
  p.min_samples = o.repeats;
  p.max_samples = o.max_repeats;
  p.ci_target_percent = o.ci_target_percent;
  p.max_seconds = o.max_seconds;
  p.quantile = statistic_quantile(o.statistic);
  return p;
}

namespace {

// The measurement's thread count applies to the measurement only: the rest
// of the process (predictor fits in strategies) keeps its own, so results do
// not depend on a hardware instance's `threads`.
class ScopedThreads {
 public:
  explicit ScopedThreads(int threads) : previous_(at::get_num_threads()) { set_threads(threads); }
  ~ScopedThreads() { set_threads(previous_); }
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  int previous_;
};

// LibTorch messages are long and multi-line; the first line says what failed.
std::string first_line(const std::exception& e) {
  std::string what = e.what();
  return what.substr(0, what.find('\n'));
}

// The forward pass of one form of the network, owning what it runs. Built
// outside inference mode: freezing and folding rewrite tensors, which
// inference tensors do not allow.
std::function<at::Tensor()> build_form(Form form, const NetworkSpec& spec, const LatencyOptions& o,
                                       const at::Tensor& input) {
  c10::InferenceMode off(false);
  auto eager = std::make_shared<EagerNetwork>(spec, o.seed);
  if (form == Form::EagerFolded) eager->fold_batch_norms();
  if (o.device == Device::Cuda) eager->to(at::Device(at::kCUDA));
  // The TorchScript forms hold the tensors they use (the script module the
  // eager network's own, a frozen one its folded constants): the eager
  // network itself is not kept.
  std::shared_ptr<torch::jit::Module> module;
  switch (form) {
    case Form::Eager:
    case Form::EagerFolded:
      return [eager, input] { return eager->forward(input); };
    case Form::Script:
      module = std::make_shared<torch::jit::Module>(to_script(*eager));
      break;
    case Form::Frozen:
      module = std::make_shared<torch::jit::Module>(torch::jit::freeze(to_script(*eager)));
      break;
    case Form::FrozenOptimized:
      module = std::make_shared<torch::jit::Module>(optimize_for_deployment(to_script(*eager)));
      break;
  }
  return [module, input] { return module->forward({input}).toTensor(); };
}

std::unique_ptr<Runner> make_runner(std::function<at::Tensor()> forward, const LatencyOptions& o) {
#ifdef NASCTL_WITH_CUDA
  if (o.device == Device::Cuda) return make_cuda_runner(std::move(forward), o.cuda_graph, o.back_to_back);
#endif
  return make_cpu_runner(std::move(forward), o.back_to_back);
}

// One network's forms that built, and why the others did not.
struct BuiltNetwork {
  std::vector<Form> forms;
  std::vector<std::string> errors;  // per form of the mode, empty where it built
};

class RunnerSource : public SampleSource {
 public:
  explicit RunnerSource(std::vector<std::unique_ptr<Runner>>& runners) : runners_(runners) {}
  void warm(std::size_t entry, int passes) override { runners_.at(entry)->warm(passes); }
  Sample sample(std::size_t entry) override { return runners_.at(entry)->sample(); }
  void release(std::size_t entry) override { runners_.at(entry).reset(); }

 private:
  std::vector<std::unique_ptr<Runner>>& runners_;
};

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Measures specs[begin, end): builds all, then samples them round robin.
void measure_group(const std::vector<const NetworkSpec*>& specs, std::size_t begin, std::size_t end,
                   const LatencyOptions& o, std::vector<Measurement>& out,
                   const std::function<void(std::size_t)>& on_done) {
  const std::vector<Form> wanted = forms_of(o.mode);
  std::vector<BuiltNetwork> built(end - begin);
  std::vector<std::unique_ptr<Runner>> runners;
  std::vector<std::size_t> forms;
  for (std::size_t i = begin; i < end; ++i) {
    BuiltNetwork& b = built[i - begin];
    b.errors.resize(wanted.size());
    try {
      at::Tensor input = random_input(*specs[i], o.batch, o.seed + 1);
      if (o.device == Device::Cuda) input = input.to(at::Device(at::kCUDA));
      for (std::size_t f = 0; f < wanted.size(); ++f) {
        try {
          runners.push_back(make_runner(build_form(wanted[f], *specs[i], o, input), o));
          b.forms.push_back(wanted[f]);
        } catch (const Error& e) {
          b.errors[f] = e.what();
        } catch (const std::exception& e) {
          b.errors[f] = "LibTorch failed: " + first_line(e);
        }
      }
    } catch (const std::exception& e) {
      b.errors.assign(wanted.size(), "LibTorch failed: " + first_line(e));
    }
    forms.push_back(b.forms.size());
  }

  RunnerSource source(runners);
  const std::vector<SampledNetwork> sampled = sample_round_robin(
      source, forms, sampling_plan(o), seconds_now, [&](std::size_t k) {
        if (on_done) on_done(begin + k);
      });

  for (std::size_t k = 0; k < sampled.size(); ++k) {
    const SampledNetwork& s = sampled[k];
    const BuiltNetwork& b = built[k];
    Measurement& m = out[begin + k];
    // Errors by form of the mode: those that did not build, then those that
    // failed while timed (sampled.form_errors is by built form).
    std::vector<std::string> errors = b.errors;
    for (std::size_t f = 0, built_f = 0; f < wanted.size(); ++f) {
      if (!b.errors[f].empty()) continue;
      const std::string& e = s.form_errors[built_f++];
      if (!e.empty()) errors[f] = "LibTorch failed: " + e.substr(0, e.find('\n'));
    }
    if (s.stop == StopReason::Failed) {
      m.error = wanted.size() == 1 ? errors.front() : "";
      for (std::size_t f = 0; wanted.size() > 1 && f < wanted.size(); ++f)
        m.error += std::string(f ? "; " : "") + to_string(wanted[f]) + ": " + errors[f];
      m.stop = StopReason::Failed;
      continue;
    }
    std::vector<double> wall, cpu;
    for (const Sample& x : s.samples) {
      wall.push_back(x.ms);
      cpu.push_back(x.cpu_ms);
    }
    m.stats = summarize_latency(std::move(wall), std::move(cpu));
    m.form = b.forms.at(s.chosen);
    m.ci_percent = s.ci_percent;
    m.stop = s.stop;
    m.seconds = s.seconds;
    if (wanted.size() > 1) {
      m.form_ms.assign(wanted.size(), std::numeric_limits<double>::quiet_NaN());
      for (std::size_t f = 0, built_f = 0; f < wanted.size(); ++f) {
        if (!b.errors[f].empty()) continue;
        if (built_f < s.form_figures.size()) m.form_ms[f] = s.form_figures[built_f];
        ++built_f;
      }
    }
  }
}

}  // namespace

std::vector<Measurement> measure_interleaved(const std::vector<const NetworkSpec*>& specs, const LatencyOptions& o,
                                             const std::function<void(std::size_t)>& on_done) {
  check_options(o);
  keep_freed_memory_mapped();
  ScopedThreads threads(o.threads);
  // No autograd bookkeeping: inference is what is measured.
  c10::InferenceMode inference;
  ScopedResizeWarningFilter quiet;  // see resize_warning_filter.hpp
#ifdef NASCTL_WITH_CUDA
  std::unique_ptr<ScopedCudnnBenchmark> tuned;
  if (o.device == Device::Cuda) tuned = std::make_unique<ScopedCudnnBenchmark>();
#endif
  std::vector<Measurement> out(specs.size());
  const auto group = static_cast<std::size_t>(o.interleave);
  for (std::size_t begin = 0; begin < specs.size(); begin += group)
    measure_group(specs, begin, std::min(specs.size(), begin + group), o, out, on_done);
  return out;
}

Measurement measure_latency(const NetworkSpec& spec, const LatencyOptions& options) {
  Measurement m = measure_interleaved({&spec}, options).front();
  if (!m.error.empty()) throw Error("network '" + spec.name + "': " + m.error);
  return m;
}

}  // namespace nasctl::libtorch
