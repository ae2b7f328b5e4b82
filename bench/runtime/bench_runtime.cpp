// Run-loop overhead per evaluation (Release build), target <= 50 us:
// dedup by canonical string, journal append (one write(2) per record),
// scoring, bookkeeping, tell(), and the final CSV/JSON outputs, with a
// provider that returns constant metrics at once, so nothing of the metric
// itself is timed. Each iteration is a whole 10,000-evaluation run into a
// fresh folder. Run:
//   bench_runtime --benchmark_min_time=2
// and read `per_eval` (seconds per evaluation).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "nasctl/metric_provider.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/search_strategy.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "nasctl/runtime/session.hpp"

namespace {

constexpr std::size_t kBudget = 10000;

// 16 variables of 4 choices (4^16 networks): large enough that a random
// strategy rarely repeats itself, with canonical strings of realistic length.
class BenchSpace : public nasctl::SearchSpace {
 public:
  BenchSpace() {
    for (int i = 0; i < 16; ++i)
      variables_.push_back(nasctl::numeric_variable("layer" + std::to_string(i), {3, 5, 7, 9}));
  }
  const std::vector<nasctl::DecisionVariable>& variables() const override { return variables_; }
  nasctl::NetworkSpec lower(const nasctl::Architecture&) const override { return {}; }

 private:
  std::vector<nasctl::DecisionVariable> variables_;
};

// Three metrics, all constant: the metric costs nothing.
class ConstantProvider : public nasctl::MetricProvider {
 public:
  std::vector<nasctl::MetricInfo> metrics() const override {
    return {{"latency_ms", "ms", ""}, {"macs", "MAC", ""}, {"params", "count", ""}};
  }
  nasctl::Metrics provide(const nasctl::Candidate&) override {
    return {{"latency_ms", 1.5}, {"macs", 2.0e8}, {"params", 5.0e6}};
  }
};

// The random plugin's logic inline: uniform samples, redrawn when already proposed.
class RandomStrategy : public nasctl::SearchStrategy {
 public:
  void start(const nasctl::Problem& problem) override {
    space_ = problem.space;
    rng_.seed(problem.seed);
    seen_.clear();
  }
  std::vector<nasctl::Architecture> ask(std::size_t n) override {
    std::vector<nasctl::Architecture> out;
    for (std::size_t i = 0; i < n; ++i) {
      nasctl::Architecture arch = space_->sample(rng_);
      for (int tries = 0; tries < 100 && !seen_.insert(space_->to_string(arch)).second; ++tries) arch = space_->sample(rng_);
      out.push_back(std::move(arch));
    }
    return out;
  }
  void tell(const std::vector<nasctl::Evaluation>&) override {}
  std::size_t preferred_batch() const override { return 16; }

 private:
  const nasctl::SearchSpace* space_ = nullptr;
  nasctl::Rng rng_;
  std::unordered_set<std::string> seen_;
};

struct BenchRun {
  nasctl::runtime::LoadedPlugin space_plugin{"<bench>", {nasctl::kSdkAbiVersion, nasctl::PluginKind::Space, {"bench", "1.0.0", "", {}}}, nullptr};
  nasctl::runtime::LoadedPlugin search_plugin{"<bench>", {nasctl::kSdkAbiVersion, nasctl::PluginKind::Search, {"random", "1.0.0", "", {}}}, nullptr};
  nasctl::runtime::LoadedPlugin provider_plugin{"<bench>", {nasctl::kSdkAbiVersion, nasctl::PluginKind::Hardware, {"constant", "1.0.0", "", {}}}, nullptr};
  nasctl::runtime::Session session;

  BenchRun() {
    session.config.file = "<bench>";
    session.config.budget_evaluations = kBudget;
    session.space = std::make_shared<BenchSpace>();
    session.space_plugin = &space_plugin;
    session.search = std::make_shared<RandomStrategy>();
    session.search_plugin = &search_plugin;
    nasctl::runtime::ProviderInstance p;
    p.instance = "cpu";
    p.plugin = &provider_plugin;
    p.provider = std::make_shared<ConstantProvider>();
    p.metrics = p.provider->metrics();
    session.providers.push_back(std::move(p));
    session.problem.space = session.space.get();
    session.problem.objectives = {{"cpu.latency_ms", nasctl::Goal::Minimize}, {"cpu.params", nasctl::Goal::Maximize}};
    session.problem.constraints = {{"cpu.macs", nasctl::Bound::AtMost, 3.0e8}};
    session.problem.evaluation_budget = kBudget;
  }
};

// One whole run per iteration; per_eval = time / evaluations.
void BM_RunLoop(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);  // the run logs one progress line
  const std::size_t threads = static_cast<std::size_t>(state.range(0));
  const auto dir = std::filesystem::temp_directory_path() / ("nasctl-bench-runtime-" + std::to_string(::getpid()));
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    BenchRun run;
    nasctl::runtime::LocalEvaluator evaluator(*run.session.space, run.session.providers, threads);
    nasctl::runtime::RunOptions options;
    options.out_dir = dir.string();
    state.ResumeTiming();
    const auto summary = nasctl::runtime::run_search(run.session, evaluator, options);
    if (summary.evaluations != kBudget) state.SkipWithError("run stopped before its budget");
  }
  std::filesystem::remove_all(dir);
  state.counters["per_eval"] =
      benchmark::Counter(static_cast<double>(kBudget), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_RunLoop)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
