// Order statistics of timed runs, and the CPU timers.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/torch/latency.hpp"
#include "runner.hpp"

namespace nasctl::libtorch {

double process_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

LatencyStats summarize_latency(std::vector<double> samples_ms, std::vector<double> cpu_samples_ms) {
  if (samples_ms.empty()) throw Error("latency statistics: no timed runs; fix: set repeats >= 3");
  if (!cpu_samples_ms.empty() && cpu_samples_ms.size() != samples_ms.size())
    throw Error("latency statistics: " + std::to_string(cpu_samples_ms.size()) + " CPU-time samples for " +
                std::to_string(samples_ms.size()) + " runs; fix: record one CPU time per timed run");
  LatencyStats s;
  if (!cpu_samples_ms.empty()) {
    std::vector<double> cpu_sorted = cpu_samples_ms;
    std::sort(cpu_sorted.begin(), cpu_sorted.end());
    s.cpu_median_ms = sorted_quantile(cpu_sorted, 0.5);
    s.cpu_p10_ms = sorted_quantile(cpu_sorted, 0.1);
    s.cpu_min_ms = cpu_sorted.front();
    s.cpu_samples_ms = std::move(cpu_samples_ms);
  }
  s.samples_ms = std::move(samples_ms);
  std::vector<double> sorted = s.samples_ms;
  std::sort(sorted.begin(), sorted.end());
  s.min_ms = sorted.front();
  s.max_ms = sorted.back();
  s.mean_ms = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
  s.median_ms = sorted_quantile(sorted, 0.5);
  s.p10_ms = sorted_quantile(sorted, 0.1);
  s.p90_ms = sorted_quantile(sorted, 0.9);
  s.relative_spread = s.median_ms > 0 ? (s.p90_ms - s.p10_ms) / s.median_ms : 0.0;
  return s;
}

double latency_figure(const LatencyStats& s, Statistic statistic, bool cpu) {
  switch (statistic) {
    case Statistic::Median: return cpu ? s.cpu_median_ms : s.median_ms;
    case Statistic::P10: return cpu ? s.cpu_p10_ms : s.p10_ms;
    case Statistic::Min: return cpu ? s.cpu_min_ms : s.min_ms;
  }
  return s.median_ms;
}

namespace {

double steady_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class CpuRunner : public Runner {
 public:
  CpuRunner(std::function<at::Tensor()> forward, int back_to_back)
      : forward_(std::move(forward)), back_to_back_(back_to_back) {}
  void warm(int passes) override {
    for (int i = 0; i < passes; ++i) forward_();
  }
  Sample sample() override {
    const double cpu_start = process_cpu_ms();
    const double start = steady_ms();
    for (int k = 0; k < back_to_back_; ++k) forward_();
    const double stop = steady_ms();
    return {(stop - start) / back_to_back_, (process_cpu_ms() - cpu_start) / back_to_back_};
  }

 private:
  std::function<at::Tensor()> forward_;
  int back_to_back_;
};

}  // namespace

std::unique_ptr<Runner> make_cpu_runner(std::function<at::Tensor()> forward, int back_to_back) {
  return std::make_unique<CpuRunner>(std::move(forward), back_to_back);
}

LatencyStats time_with_clocks(const std::function<void()>& step, int warmup, int repeats, int back_to_back,
                              const std::function<double()>& wall_ms, const std::function<double()>& cpu_ms) {
  if (repeats < 1) throw Error("latency timer: repeats " + std::to_string(repeats) + " < 1; fix: time at least one run");
  if (back_to_back < 1)
    throw Error("latency timer: back_to_back " + std::to_string(back_to_back) +
                " < 1; fix: run at least one pass per timed sample");
  for (int i = 0; i < warmup; ++i) step();
  std::vector<double> samples, cpu_samples;
  samples.reserve(static_cast<std::size_t>(repeats));
  cpu_samples.reserve(static_cast<std::size_t>(repeats));
  for (int i = 0; i < repeats; ++i) {
    const double cpu_start = cpu_ms();
    const double start = wall_ms();
    for (int k = 0; k < back_to_back; ++k) step();
    const double stop = wall_ms();
    cpu_samples.push_back((cpu_ms() - cpu_start) / back_to_back);
    samples.push_back((stop - start) / back_to_back);
  }
  return summarize_latency(std::move(samples), std::move(cpu_samples));
}

LatencyStats time_cpu(const std::function<void()>& step, int warmup, int repeats, int back_to_back) {
  return time_with_clocks(step, warmup, repeats, back_to_back, steady_ms, process_cpu_ms);
}

}  // namespace nasctl::libtorch
