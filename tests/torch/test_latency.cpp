// Latency timing: statistics, clocks, option checks, measurement conditions,
// and real measurements checked for their form only (no assertion here
// depends on how fast the machine is or how busy).
#include "torch_doctest.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <string>
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
  o.ci_target_percent = 0;  // exactly 5 runs, however noisy
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

TEST_CASE("time_with_clocks reads the wall clock and the CPU clock around each sample") {
  // Each call of the step advances the wall clock by 3 ms and the CPU clock
  // by 1 ms: the process waited for a core two thirds of the time.
  double wall = 0, cpu = 0;
  const LatencyStats s = time_with_clocks(
      [&] {
        wall += 3;
        cpu += 1;
      },
      2, 4, 1, [&] { return wall; }, [&] { return cpu; });
  CHECK(s.samples_ms == std::vector<double>{3, 3, 3, 3});
  CHECK(s.cpu_samples_ms == std::vector<double>{1, 1, 1, 1});
  CHECK(s.median_ms == 3);
  CHECK(s.cpu_median_ms == 1);
  CHECK(wall == 3 * (2 + 4));  // the warm-up calls ran too, untimed
}

TEST_CASE("summarize_latency of no samples is an error with a fix") {
  CHECK_THROWS_WITH_AS(summarize_latency({}), doctest::Contains("fix:"), nasctl::Error);
}

TEST_CASE("measured CPU latency is positive with ordered statistics in optimized and eager mode") {
  const NetworkSpec spec = test::mobilenet_like(32);
  const Measurement optimized = measure_latency(spec, quick(ExecutionMode::Optimized));
  check_ordered(optimized.stats, 5);
  CHECK(optimized.form == Form::FrozenOptimized);
  CHECK(optimized.stop == StopReason::Repeats);  // quick() asks for exactly 5 runs
  CHECK(optimized.form_ms.empty());
  const Measurement eager = measure_latency(spec, quick(ExecutionMode::Eager));
  check_ordered(eager.stats, 5);
  CHECK(eager.form == Form::Eager);
}

TEST_CASE("fastest mode times every inference-ready form and keeps the one with the lowest statistic") {
  LatencyOptions o = quick(ExecutionMode::Fastest);
  const Measurement m = measure_latency(test::mobilenet_like(32), o);
  REQUIRE(m.form_ms.size() == static_cast<std::size_t>(kFormCount));
  // Which form wins depends on the machine; that the kept one is the lowest does not.
  for (const double ms : m.form_ms) {
    CHECK(ms > 0);
    CHECK(m.form_ms[static_cast<int>(m.form)] <= ms);
  }
  CHECK(m.stats.samples_ms.size() == 5);
}

TEST_CASE("measure_interleaved measures every network and reports each one done") {
  const NetworkSpec a = test::mobilenet_like(32), b = test::shufflenet_like(), c = test::grouped_net();
  LatencyOptions o = quick(ExecutionMode::Optimized);
  o.interleave = 2;  // two groups: {a, b}, {c}
  std::vector<std::size_t> done;
  const std::vector<Measurement> out = measure_interleaved({&a, &b, &c}, o, [&](std::size_t i) { done.push_back(i); });
  REQUIRE(out.size() == 3);
  for (const Measurement& m : out) {
    CHECK(m.error.empty());
    check_ordered(m.stats, 5);
  }
  std::sort(done.begin(), done.end());
  CHECK(done == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("a network that cannot be built fails alone with a one-line error, the others are measured") {
  const NetworkSpec good = test::grouped_net();
  NetworkSpec bad = test::mobilenet_like(32);
  bad.layers.front().groups = 5;  // 3 input channels do not divide into 5 groups
  const std::vector<Measurement> out = measure_interleaved({&bad, &good}, quick(ExecutionMode::Eager));
  REQUIRE(out.size() == 2);
  CHECK_FALSE(out[0].error.empty());
  CHECK(out[0].error.find('\n') == std::string::npos);
  CHECK(out[0].stop == StopReason::Failed);
  CHECK(out[1].error.empty());
  CHECK_THROWS_AS(measure_latency(bad, quick(ExecutionMode::Eager)), nasctl::Error);
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

TEST_CASE("time_cpu calls the step warmup + repeats times") {
  int calls = 0;
  const LatencyStats s = time_cpu([&] { ++calls; }, 3, 4);
  CHECK(calls == 7);
  CHECK(s.samples_ms.size() == 4);
}

TEST_CASE("time_cpu with back_to_back runs that many passes per sample and reports the per-pass share") {
  int calls = 0;
  double wall = 0;
  // Each pass takes 2 ms of the synthetic clock: a sample of 5 passes spans 10 ms, reported as 2 ms per pass.
  const LatencyStats s = time_with_clocks(
      [&] {
        ++calls;
        wall += 2;
      },
      1, 3, 5, [&] { return wall; }, [] { return 0.0; });
  CHECK(calls == 1 + 3 * 5);
  CHECK(s.samples_ms == std::vector<double>{2, 2, 2});
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
  o = LatencyOptions{};
  o.max_repeats = 20;
  CHECK_THROWS_WITH_AS(check_options(o), doctest::Contains("max_repeats 20 < repeats 30; fix:"), nasctl::Error);
  o = LatencyOptions{};
  o.interleave = 0;
  CHECK_THROWS_WITH_AS(check_options(o), doctest::Contains("interleave 0 < 1; fix:"), nasctl::Error);
}

TEST_CASE("the sampling plan follows the options and the statistic") {
  LatencyOptions o;
  o.warmup = 4;
  o.repeats = 12;
  o.max_repeats = 99;
  o.ci_target_percent = 3;
  o.max_seconds = 0.5;
  o.statistic = Statistic::P10;
  const SamplingPlan p = sampling_plan(o);
  CHECK(p.warmup == 4);
  CHECK(p.min_samples == 12);
  CHECK(p.max_samples == 99);
  CHECK(p.ci_target_percent == 3);
  CHECK(p.max_seconds == 0.5);
  CHECK(p.quantile == 0.1);
  CHECK(statistic_quantile(Statistic::Median) == 0.5);
  CHECK(statistic_quantile(Statistic::Min) == 0.5);  // the minimum has no interval: the median's stands in
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
  for (const char* key : {"cpu", "cpu_capability", "governor", "threads", "batch", "warmup", "repeats", "max_repeats",
                          "ci_target_percent", "max_seconds", "interleave", "sampling", "dtype", "mode", "device",
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
  CHECK(c.at("ci_target_percent") == "2");
  CHECK(c.at("max_seconds") == "1");
  CHECK(c.at("sampling").find("95% confidence interval") != std::string::npos);
  CHECK(c.count("cuda_graph") == 0);  // a CUDA-only condition
  CHECK(c.count("forms") == 0);       // fastest mode only
  o.mode = ExecutionMode::Fastest;
  CHECK(measurement_conditions(o).at("forms").find("0 = frozen+optimize_for_inference, 1 = frozen, 2 = torchscript, "
                                                   "3 = eager, 4 = eager+bn_folded") != std::string::npos);
}
