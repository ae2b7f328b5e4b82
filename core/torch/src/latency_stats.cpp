// Order statistics of timed runs, and the CPU timer.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/torch/latency.hpp"

namespace nasctl::libtorch {

namespace {

// Percentile of sorted samples with linear interpolation between order
// statistics (numpy's default), p in [0, 100].
double percentile(const std::vector<double>& sorted, double p) {
  const double pos = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

}  // namespace

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
    s.cpu_median_ms = percentile(cpu_sorted, 50);
    s.cpu_p10_ms = percentile(cpu_sorted, 10);
    s.cpu_min_ms = cpu_sorted.front();
    s.cpu_samples_ms = std::move(cpu_samples_ms);
  }
  s.samples_ms = std::move(samples_ms);
  std::vector<double> sorted = s.samples_ms;
  std::sort(sorted.begin(), sorted.end());
  s.min_ms = sorted.front();
  s.max_ms = sorted.back();
  s.mean_ms = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
  s.median_ms = percentile(sorted, 50);
  s.p10_ms = percentile(sorted, 10);
  s.p90_ms = percentile(sorted, 90);
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

LatencyStats time_cpu(const std::function<void()>& step, int warmup, int repeats, int back_to_back) {
  if (repeats < 1) throw Error("latency timer: repeats " + std::to_string(repeats) + " < 1; fix: time at least one run");
  if (back_to_back < 1)
    throw Error("latency timer: back_to_back " + std::to_string(back_to_back) +
                " < 1; fix: run at least one pass per timed sample");
  for (int i = 0; i < warmup; ++i) step();
  std::vector<double> samples, cpu_samples;
  samples.reserve(static_cast<std::size_t>(repeats));
  cpu_samples.reserve(static_cast<std::size_t>(repeats));
  for (int i = 0; i < repeats; ++i) {
    const double cpu_start = process_cpu_ms();
    const auto start = std::chrono::steady_clock::now();
    for (int k = 0; k < back_to_back; ++k) step();
    const auto stop = std::chrono::steady_clock::now();
    cpu_samples.push_back((process_cpu_ms() - cpu_start) / back_to_back);
    samples.push_back(std::chrono::duration<double, std::milli>(stop - start).count() / back_to_back);
  }
  return summarize_latency(std::move(samples), std::move(cpu_samples));
}

}  // namespace nasctl::libtorch
