// Latency timing: statistics, option checks, measurement conditions.
#include "torch_doctest.hpp"

#include <ATen/Parallel.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/torch/latency.hpp"
#include "specs.hpp"

using namespace nasctl;
using namespace nasctl::libtorch;

namespace {

void check_ordered(const LatencyStats& s, int repeats) {
  CHECK(s.samples_ms.size() == static_cast<std::size_t>(repeats));
  CHECK(s.min_ms > 0);
  CHECK(s.min_ms <= s.p10_ms);
  CHECK(s.p10_ms <= s.median_ms);
  CHECK(s.median_ms <= s.p90_ms);
  CHECK(s.p90_ms <= s.max_ms);
  CHECK(s.mean_ms >= s.min_ms);
  CHECK(s.mean_ms <= s.max_ms);
  CHECK(s.relative_spread >= 0);
  CHECK(s.relative_spread == doctest::Approx((s.p90_ms - s.p10_ms) / s.median_ms));
  CHECK(s.cpu_samples_ms.size() == s.samples_ms.size());
  CHECK(s.cpu_median_ms > 0);
}

LatencyOptions quick(ExecutionMode mode) {
  LatencyOptions o;
  o.mode = mode;
  o.warmup = 2;
  o.repeats = 5;
  return o;
}

}  // namespace

TEST_CASE("summarize_latency interpolates percentiles like numpy and orders nothing in place") {
  const LatencyStats s = summarize_latency({10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
  CHECK(s.median_ms == doctest::Approx(5.5));
  CHECK(s.p10_ms == doctest::Approx(1.9));
  CHECK(s.p90_ms == doctest::Approx(9.1));
  CHECK(s.mean_ms == doctest::Approx(5.5));
  CHECK(s.min_ms == 1);
  CHECK(s.max_ms == 10);
  CHECK(s.relative_spread == doctest::Approx(7.2 / 5.5));
  CHECK(s.samples_ms.front() == 10);  // measurement order kept
}

TEST_CASE("CPU time of one thread of work is at most its wall-clock time plus slack") {
  const LatencyStats s = time_cpu(
      [] {
        volatile double x = 0;
        for (int i = 0; i < 2000000; ++i) x = x + i * 0.5;
      },
      1, 5);
  CHECK(s.cpu_median_ms > 0);
  CHECK(s.cpu_median_ms <= s.max_ms * 1.1 + 0.5);
}

TEST_CASE("summarize_latency of no samples is an error with a fix") {
  CHECK_THROWS_WITH_AS(summarize_latency({}), doctest::Contains("fix:"), nasctl::Error);
}

TEST_CASE("measured CPU latency is positive with ordered statistics in optimized and eager mode") {
  const NetworkSpec spec = test::mobilenet_like(32);
  check_ordered(measure_latency(spec, quick(ExecutionMode::Optimized)), 5);
  check_ordered(measure_latency(spec, quick(ExecutionMode::Eager)), 5);
}

TEST_CASE("measurement leaves the process's intra-op thread count as it found it") {
  // The thread count asked for applies to the timed runs only: predictor
  // fits elsewhere in the process must not change with a hardware instance's
  // `threads` (same seed, same results).
  at::set_num_threads(1);
  LatencyOptions o = quick(ExecutionMode::Eager);
  o.threads = 2;
  measure_latency(test::grouped_net(), o);
  CHECK(at::get_num_threads() == 1);
  at::set_num_threads(2);
  o.threads = 1;
  measure_latency(test::grouped_net(), o);
  CHECK(at::get_num_threads() == 2);
  at::set_num_threads(1);
}

TEST_CASE("a batch of 4 takes longer than a batch of 1") {
  LatencyOptions o = quick(ExecutionMode::Optimized);
  o.repeats = 7;
  const NetworkSpec spec = test::mobilenet_like(64);
  const double one = measure_latency(spec, o).median_ms;
  o.batch = 4;
  const double four = measure_latency(spec, o).median_ms;
  CHECK(four > one);
}

TEST_CASE("time_cpu calls the step warmup + repeats times") {
  int calls = 0;
  const LatencyStats s = time_cpu([&] { ++calls; }, 3, 4);
  CHECK(calls == 7);
  CHECK(s.samples_ms.size() == 4);
}

TEST_CASE("time_cpu with back_to_back runs that many passes per sample and reports the per-pass share") {
  int calls = 0;
  // Each pass sleeps 2 ms: a sample of 5 passes takes >= 10 ms, reported as >= 2 ms per pass.
  const LatencyStats s = time_cpu(
      [&] {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      },
      1, 3, 5);
  CHECK(calls == 1 + 3 * 5);
  REQUIRE(s.samples_ms.size() == 3);
  for (double ms : s.samples_ms) CHECK(ms >= 2.0);
  CHECK(s.median_ms < 9.0);  // a sample of five passes not divided would be >= 10 ms
  CHECK_THROWS_WITH_AS(time_cpu([] {}, 0, 3, 0), doctest::Contains("back_to_back 0 < 1; fix:"), nasctl::Error);
}

TEST_CASE("latency_figure reports the requested order statistic of the wall-clock or CPU-time samples") {
  const LatencyStats s = summarize_latency({5, 1, 4, 2, 3, 9, 8, 7, 6, 10, 11}, {15, 11, 14, 12, 13, 19, 18, 17, 16, 20, 21});
  CHECK(latency_figure(s, Statistic::Median) == 6);
  CHECK(latency_figure(s, Statistic::Min) == 1);
  CHECK(latency_figure(s, Statistic::P10) == doctest::Approx(2));
  CHECK(latency_figure(s, Statistic::Median, true) == 16);
  CHECK(latency_figure(s, Statistic::Min, true) == 11);
  CHECK(latency_figure(s, Statistic::P10, true) == doctest::Approx(12));
}

TEST_CASE("latency options out of range are rejected with the option and a fix") {
  LatencyOptions o;
  o.repeats = 2;
  CHECK_THROWS_WITH_AS(check_options(o), doctest::Contains("repeats 2 < 3; fix:"), nasctl::Error);
  o = LatencyOptions{};
  o.threads = 0;
  CHECK_THROWS_WITH_AS(check_options(o), doctest::Contains("threads 0 < 1; fix:"), nasctl::Error);
  o = LatencyOptions{};
  o.batch = 0;
  CHECK_THROWS_WITH_AS(check_options(o), doctest::Contains("batch 0 < 1; fix:"), nasctl::Error);
  o = LatencyOptions{};
  o.back_to_back = 0;
  CHECK_THROWS_WITH_AS(check_options(o), doctest::Contains("back_to_back 0 < 1; fix:"), nasctl::Error);
}

TEST_CASE("CUDA measurement is refused with a reason when CUDA is not usable here") {
  LatencyOptions o;
  o.device = Device::Cuda;
  if (!cuda_unavailable_reason().empty()) {
    CHECK_THROWS_WITH_AS(check_options(o), doctest::Contains("device cuda:"), nasctl::Error);
    CHECK(cuda_unavailable_reason().find("; fix:") != std::string::npos);
  } else {
    CHECK_NOTHROW(check_options(o));
  }
  CHECK(built_with_cuda() == (cuda_unavailable_reason().find("CPU-only") == std::string::npos));
}

TEST_CASE("measurement conditions name the machine and the settings and the library") {
  LatencyOptions o;
  o.threads = 1;
  o.batch = 2;
  o.mode = ExecutionMode::Eager;
  const Conditions c = measurement_conditions(o);
  for (const char* key : {"cpu", "cpu_capability", "governor", "threads", "batch", "warmup", "repeats", "dtype", "mode", "device",
                          "torch", "blas", "statistic", "timer"}) {
    CAPTURE(key);
    REQUIRE(c.count(key) == 1);
    CHECK_FALSE(c.at(key).empty());
  }
  CHECK(c.at("batch") == "2");
  CHECK(c.at("mode") == "eager");
  CHECK(c.at("device") == "cpu");
  CHECK(c.at("dtype") == "float32");
  CHECK(c.at("torch") == torch_version());
  CHECK(c.count("cuda_graph") == 0);  // a CUDA-only condition
}
