// Measurement conditions for run.json: enough to tell two latency figures
// apart (machine, governor, threads, mode, library versions).
#include <fstream>
#include <string>

#include "cuda_timer.hpp"
#include "nasctl/torch/latency.hpp"

namespace nasctl::libtorch {

namespace {

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    if (colon != std::string::npos) return trim(line.substr(colon + 1));
  }
  return "unknown (/proc/cpuinfo has no model name)";
}

std::string cpu_governor() {
  std::ifstream in("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  std::string governor;
  if (in && std::getline(in, governor)) return trim(governor);
  return "unknown (cpufreq not readable)";
}

}  // namespace

Conditions measurement_conditions(const LatencyOptions& o) {
  Conditions c;
  c["device"] = to_string(o.device);
  c["mode"] = to_string(o.mode);
  if (o.mode == ExecutionMode::Fastest) {
    std::string forms;
    int code = 0;
    for (const Form f : forms_of(o.mode)) forms += (forms.empty() ? "" : ", ") + std::to_string(code++) + " = " + to_string(f);
    c["forms"] = "each network timed in every form, the fastest kept (its `repeats` runs each, then the lowest "
                 "statistic); latency_form names it: " + forms;
  }
  c["threads"] = std::to_string(o.threads);
  c["batch"] = std::to_string(o.batch);
  c["warmup"] = std::to_string(o.warmup);
  c["repeats"] = std::to_string(o.repeats);
  c["max_repeats"] = std::to_string(o.max_repeats);
  c["ci_target_percent"] = six_digits(o.ci_target_percent);
  c["max_seconds"] = six_digits(o.max_seconds);
  c["interleave"] = std::to_string(o.interleave);
  const SamplingPlan plan = sampling_plan(o);
  c["sampling"] =
      o.ci_target_percent > 0
          ? "at least `repeats` timed runs, then more until the distribution-free 95% confidence interval of the "
            "statistic (order statistics at binomial ranks) is within +-ci_target_percent of it, or max_repeats "
            "runs or max_seconds per network; latency_ci_percent is what was reached. "
          : "exactly `repeats` timed runs; latency_ci_percent is the 95% interval they give. ";
  c["sampling"] += "Networks measured together (up to `interleave`) are visited round robin, " +
                   std::to_string(plan.samples_per_visit) + " timed runs per visit, " +
                   std::to_string(plan.passes_per_visit) + " untimed run opening a visit that follows another's";
  if (o.back_to_back > 1) c["back_to_back"] = std::to_string(o.back_to_back);
  c["dtype"] = "float32";
  c["seed"] = std::to_string(o.seed);
  c["cpu"] = cpu_model();
  c["governor"] = cpu_governor();
  c["torch"] = torch_version();
  c["blas"] = blas_in_use();
  c["cpu_capability"] = torch_build_setting("CPU capability usage");
  const char* figure = o.statistic == Statistic::Median ? "median"
                       : o.statistic == Statistic::P10  ? "10th percentile"
                                                        : "minimum";
  c["statistic"] = std::string(figure) +
                   " of the timed runs (ms per forward pass of `batch` samples); spread = (p90 - p10) / median";
  if (o.device == Device::Cpu) {
    c["timer"] = "std::chrono::steady_clock around each forward pass";
    return c;
  }
  c["cuda_graph"] = o.cuda_graph ? "true" : "false";
  c["cudnn_benchmark"] = "true";
  c["timer"] = o.cuda_graph ? "CUDA events around each CUDA-graph replay" : "CUDA events around each forward pass";
#ifdef NASCTL_WITH_CUDA
  if (cuda_device_count() > 0) c["gpu"] = cuda_device_name();
#endif
  return c;
}

}  // namespace nasctl::libtorch
