// Adaptive, interleaved sampling on synthetic sample sequences and a
// synthetic clock: the confidence interval, the stopping rule, the round
// robin, the choice of the fastest form and the noise warning. Nothing here
// times anything, so the results do not depend on the machine or its load.
#include "torch_doctest.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/torch/sampling.hpp"

using namespace nasctl;
using namespace nasctl::libtorch;

namespace {

// Plays back a sequence of sample values per entry (cycling), logs every
// call, and advances a synthetic clock by each pass it runs (the sample's
// milliseconds, the entry's first value for an untimed pass).
class ScriptedSource : public SampleSource {
 public:
  explicit ScriptedSource(std::vector<std::vector<double>> values) : values_(std::move(values)) {}

  void warm(std::size_t entry, int passes) override {
    log.push_back("warm " + std::to_string(entry) + "x" + std::to_string(passes));
    clock_ms += passes * values_.at(entry).front();
  }
  Sample sample(std::size_t entry) override {
    if (failing.count(entry)) throw std::runtime_error("form " + std::to_string(entry) + " failed\nbacktrace");
    sampled.push_back(entry);
    const std::vector<double>& v = values_.at(entry);
    const double ms = v[next_[entry]++ % v.size()];
    clock_ms += ms;
    return {ms, ms / 2};
  }
  void release(std::size_t entry) override { released.push_back(entry); }

  std::function<double()> clock() {
    return [this] { return clock_ms / 1000; };
  }

  std::vector<std::string> log;
  std::vector<std::size_t> sampled;
  std::vector<std::size_t> released;
  std::map<std::size_t, bool> failing;
  double clock_ms = 0;

 private:
  std::vector<std::vector<double>> values_;
  std::map<std::size_t, std::size_t> next_;
};

// 10 ms +- 0.5%: a quiet machine.
std::vector<double> steady() { return {10.0, 10.05, 9.95, 10.02, 9.98}; }
// 5 .. 15 ms: a machine shared with busy processes.
std::vector<double> noisy() { return {5, 15, 7, 13, 9, 11, 6, 14}; }

SamplingPlan plan(int min_samples, double target, double max_seconds = 100, int max_samples = 100000) {
  SamplingPlan p;
  p.warmup = 2;
  p.min_samples = min_samples;
  p.max_samples = max_samples;
  p.ci_target_percent = target;
  p.max_seconds = max_seconds;
  p.samples_per_visit = 5;
  p.passes_per_visit = 1;
  return p;
}

}  // namespace

TEST_CASE("the median's interval takes the order statistics the binomial distribution gives") {
  // Bin(10, 0.5): P(B <= 1) = 11/1024 <= 2.5% < P(B <= 2) = 56/1024, so
  // the 95% interval of the median of 10 samples is [X_(2), X_(9)].
  const QuantileInterval ten = quantile_interval({10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 0.5);
  REQUIRE(ten.defined);
  CHECK(ten.lower_rank == 2);
  CHECK(ten.upper_rank == 9);
  CHECK(ten.low == 2);
  CHECK(ten.high == 9);
  CHECK(ten.coverage == doctest::Approx(1 - 22.0 / 1024));
  // Six samples: [X_(1), X_(6)] covers with 1 - 2/64; five cannot reach 95%.
  const QuantileInterval six = quantile_interval({1, 2, 3, 4, 5, 6}, 0.5);
  REQUIRE(six.defined);
  CHECK(six.lower_rank == 1);
  CHECK(six.upper_rank == 6);
  CHECK_FALSE(quantile_interval({1, 2, 3, 4, 5}, 0.5).defined);
}

TEST_CASE("the 10th percentile's interval needs 36 samples and covers at least 95% from then on") {
  std::vector<double> v;
  for (int i = 1; i <= 35; ++i) v.push_back(i);
  CHECK_FALSE(quantile_interval(v, 0.1).defined);  // P(no sample below it) = 0.9^35 = 2.503% > 2.5%
  v.push_back(36);
  const QuantileInterval ci = quantile_interval(v, 0.1);
  REQUIRE(ci.defined);
  CHECK(ci.lower_rank == 1);
  for (std::size_t n = 36; n < 400; n += 17) {
    v.resize(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i);
    const QuantileInterval c = quantile_interval(v, 0.1);
    CAPTURE(n);
    REQUIRE(c.defined);
    CHECK(c.coverage >= 0.95);
    CHECK(c.lower_rank <= static_cast<std::size_t>(std::ceil(0.1 * n)));
    CHECK(c.upper_rank >= static_cast<std::size_t>(std::floor(0.1 * n)));
  }
}

TEST_CASE("interval_percent is the interval's larger side relative to the quantile, or the range when too few") {
  // Median 5.5 of 1..10, interval [2, 9]: max(3.5, 3.5) / 5.5.
  CHECK(interval_percent({10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 0.5) == doctest::Approx(3.5 / 5.5 * 100));
  // Five samples have no 95% interval: the range [1, 9] around the median 2.
  CHECK(interval_percent({1, 2, 2, 3, 9}, 0.5) == doctest::Approx(7.0 / 2 * 100));
  CHECK(std::isinf(interval_percent({}, 0.5)));
}

TEST_CASE("a steady source stops at the minimum sample count once the interval is within the target") {
  ScriptedSource source({steady()});
  const auto out = sample_round_robin(source, {1}, plan(30, 2), source.clock());
  REQUIRE(out.size() == 1);
  CHECK(out[0].stop == StopReason::Target);
  CHECK(out[0].samples.size() == 30);
  // 30 samples: the interval is [X_(10), X_(21)] = [9.98, 10.02] around 10.
  CHECK(out[0].ci_percent == doctest::Approx(0.2));
  CHECK(out[0].samples[0].cpu_ms == 5.0);  // the CPU-time half of each sample is kept alongside
}

TEST_CASE("a noisy source takes samples beyond the minimum until the time cap") {
  ScriptedSource source({noisy()});
  const auto out = sample_round_robin(source, {1}, plan(30, 2, /*max_seconds=*/2), source.clock());
  REQUIRE(out.size() == 1);
  CHECK(out[0].stop == StopReason::MaxSeconds);
  CHECK(out[0].samples.size() > 30);
  CHECK(out[0].seconds >= 2);
  CHECK(out[0].seconds < 2 + 5 * 0.015 + 0.015);  // stopped within a visit of the cap
  CHECK(out[0].ci_percent > 2);
}

TEST_CASE("a noisy source stops at max_samples when that comes before the time cap") {
  ScriptedSource source({noisy()});
  const auto out = sample_round_robin(source, {1}, plan(30, 2, 1000, /*max_samples=*/42), source.clock());
  CHECK(out[0].stop == StopReason::MaxRepeats);
  CHECK(out[0].samples.size() == 42);
}

TEST_CASE("the minimum is always taken, however far past the time cap") {
  ScriptedSource source({noisy()});
  const auto out = sample_round_robin(source, {1}, plan(30, 2, /*max_seconds=*/0), source.clock());
  CHECK(out[0].stop == StopReason::MaxSeconds);
  CHECK(out[0].samples.size() == 30);
}

TEST_CASE("a target of 0 takes exactly the minimum, noisy or not") {
  ScriptedSource source({noisy()});
  const auto out = sample_round_robin(source, {1}, plan(12, 0), source.clock());
  CHECK(out[0].stop == StopReason::Repeats);
  CHECK(out[0].samples.size() == 12);
  CHECK(out[0].ci_percent > 0);  // still reported
}

TEST_CASE("networks are visited round robin, a few samples each, warmed before their first visit") {
  ScriptedSource source({steady(), steady(), steady()});
  SamplingPlan p = plan(4, 0);
  p.samples_per_visit = 2;
  std::vector<std::size_t> done;
  sample_round_robin(source, {1, 1, 1}, p, source.clock(), [&](std::size_t i) { done.push_back(i); });
  CHECK(source.sampled == std::vector<std::size_t>{0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2});
  // Warm-up before each network's first visit; one untimed pass opening each
  // later visit, since another network ran in between.
  CHECK(source.log == std::vector<std::string>{"warm 0x2", "warm 1x2", "warm 2x2", "warm 0x1", "warm 1x1", "warm 2x1"});
  CHECK(done == std::vector<std::size_t>{0, 1, 2});
  CHECK(source.released == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("a lone network's later visits follow its own and need no untimed pass") {
  ScriptedSource source({steady()});
  SamplingPlan p = plan(10, 0);
  sample_round_robin(source, {1}, p, source.clock());
  CHECK(source.log == std::vector<std::string>{"warm 0x2"});
  CHECK(source.sampled.size() == 10);
}

TEST_CASE("a network that reached its target stays in the round while a noisy one runs, so both span the same time") {
  ScriptedSource source({steady(), noisy()});
  const auto out = sample_round_robin(source, {1, 1}, plan(10, 2, /*max_seconds=*/1), source.clock());
  CHECK(out[0].stop == StopReason::Target);
  CHECK(out[1].stop == StopReason::MaxSeconds);
  CHECK(out[0].samples.size() > 10);  // sampled on after reaching +-2% at 10
  // Visits alternate, 5 samples each, until the steady network's own time
  // cap (17 visits of 60 ms); the noisy one then needs two more visits.
  REQUIRE(source.sampled.size() == 17 * 10 + 2 * 5);
  for (std::size_t k = 0; k < 170; ++k) CHECK(source.sampled[k] == (k / 5) % 2);
  CHECK(out[0].samples.size() == 85);
  CHECK(out[1].samples.size() == 95);
}

TEST_CASE("the round ends as soon as every network has reached its target") {
  ScriptedSource source({steady(), {20.0, 20.1, 19.9, 20.05, 19.95}});
  std::vector<std::size_t> done;
  const auto out = sample_round_robin(source, {1, 1}, plan(10, 2), source.clock(), [&](std::size_t i) { done.push_back(i); });
  CHECK(out[0].stop == StopReason::Target);
  CHECK(out[1].stop == StopReason::Target);
  CHECK(out[0].samples.size() == 10);
  CHECK(out[1].samples.size() == 10);
  CHECK(done == std::vector<std::size_t>{0, 1});
}

TEST_CASE("of several forms the one with the lowest statistic is kept and the others released") {
  // Network 0 has three forms (entries 0, 1, 2), network 1 one (entry 3).
  ScriptedSource source({{12, 12.1, 11.9}, {9, 9.1, 8.9}, {10, 10.1, 9.9}, steady()});
  const auto out = sample_round_robin(source, {3, 1}, plan(10, 2), source.clock());
  REQUIRE(out.size() == 2);
  CHECK(out[0].chosen == 1);
  REQUIRE(out[0].form_figures.size() == 3);
  CHECK(out[0].form_figures[0] == doctest::Approx(12));
  CHECK(out[0].form_figures[1] == doctest::Approx(9));
  CHECK(out[0].form_figures[2] == doctest::Approx(10));
  CHECK(out[0].samples.front().ms == doctest::Approx(9));
  CHECK(out[0].stop == StopReason::Target);
  // The slower forms go as soon as the choice is made, the kept one when done.
  REQUIRE(source.released.size() == 4);
  CHECK(source.released[0] == 0);
  CHECK(source.released[1] == 2);
  CHECK(out[1].chosen == 0);
  CHECK(out[1].form_figures.empty());
}

TEST_CASE("a form that fails is dropped with its error and the network goes on with the others") {
  ScriptedSource source({{12}, {9}, steady()});
  source.failing[1] = true;
  const auto out = sample_round_robin(source, {2, 1}, plan(10, 2), source.clock());
  CHECK(out[0].stop == StopReason::Target);
  CHECK(out[0].chosen == 0);
  CHECK(out[0].form_errors[1].rfind("form 1 failed", 0) == 0);
  CHECK(out[0].form_errors[0].empty());
}

TEST_CASE("a network whose every form fails stops as failed and the others are measured") {
  ScriptedSource source({{9}, steady()});
  source.failing[0] = true;
  const auto out = sample_round_robin(source, {1, 1}, plan(10, 2), source.clock());
  CHECK(out[0].stop == StopReason::Failed);
  CHECK(out[0].samples.empty());
  CHECK_FALSE(out[0].form_errors[0].empty());
  CHECK(out[1].stop == StopReason::Target);
  // A network with no form that built is failed from the start.
  ScriptedSource none({steady()});
  const auto empty = sample_round_robin(none, {0, 1}, plan(10, 2), none.clock());
  CHECK(empty[0].stop == StopReason::Failed);
  CHECK(empty[1].stop == StopReason::Target);
}

TEST_CASE("the noise warning fires once, naming the target, what was reached and the load") {
  std::vector<std::string> lines;
  NoiseWarning warning([&](const std::string& line) { lines.push_back(line); },
                       [] { return std::string("load average 3.10 2.00 1.50 on 2 CPUs"); });
  const SamplingPlan p = plan(30, 2, /*max_seconds=*/1);
  for (int run = 0; run < 3; ++run) {
    ScriptedSource source({noisy(), steady()});
    for (const SampledNetwork& n : sample_round_robin(source, {1, 1}, p, source.clock()))
      warning.consider("measure 'cpu'", n.stop, n.ci_percent, n.samples.size(), n.seconds, p.ci_target_percent);
  }
  REQUIRE(lines.size() == 1);
  CHECK(warning.misses() == 3);  // the noisy network of each run; the steady one reached the target
  const std::string& line = lines.front();
  CHECK(line.rfind("measure 'cpu': the machine is too noisy for a +-2% confidence interval: +-", 0) == 0);
  CHECK(line.find("stopped at max_seconds") != std::string::npos);
  CHECK(line.find("load average 3.10 2.00 1.50 on 2 CPUs") != std::string::npos);
  CHECK(line.find("; fix: ") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("a quiet run gives no noise warning") {
  std::vector<std::string> lines;
  NoiseWarning warning([&](const std::string& line) { lines.push_back(line); }, {});
  ScriptedSource source({steady()});
  const SamplingPlan p = plan(30, 2);
  const SampledNetwork n = sample_round_robin(source, {1}, p, source.clock()).front();
  warning.consider("measure 'cpu'", n.stop, n.ci_percent, n.samples.size(), n.seconds, p.ci_target_percent);
  CHECK(lines.empty());
  CHECK_FALSE(warning.warned());
}

TEST_CASE("the machine's load report names the load average") {
  // Reads /proc; what it finds there depends on the machine, its form does not.
  const std::string report = machine_load_report();
  CHECK(report.rfind("load average ", 0) == 0);
  CHECK(report.find(" CPUs") != std::string::npos);
}

TEST_CASE("sampling plans that cannot work are refused with a fix") {
  ScriptedSource source({steady()});
  SamplingPlan p = plan(10, 2);
  p.max_samples = 5;
  CHECK_THROWS_WITH_AS(sample_round_robin(source, {1}, p, source.clock()), doctest::Contains("max_samples 5 < min_samples 10; fix:"),
                       nasctl::Error);
  p = plan(10, -1);
  CHECK_THROWS_WITH_AS(check_plan(p), doctest::Contains("ci_target_percent must be >= 0; fix:"), nasctl::Error);
}
