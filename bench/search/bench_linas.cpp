// LINAS's overheads on the OFA MobileNetV3 space, with predictors fitted on
// 250 or 500 real ImageNet rows of data/ofa_mbv3_w10_imagenet (top-1
// accuracy, maximised) and the MACs of the same networks (count_cost,
// minimised), as LINAS's iterations see them.
//
// BM_LinasInnerSearch/model:M/measured:N: one inner NSGA-II of 20,000
//   predictor evaluations (population 50), fitting excluded; M = 0 ridge,
//   1 kernel_ridge, 2 auto. Target: <= 0.5 s on one core.
// BM_LinasFit/model:M/measured:N: fitting both predictors.
// BM_Nsga2GenerationOfa: one NSGA-II generation of population 100 on the
//   OFA space, offspring evaluated by the ridge predictors (ask, encode,
//   predict, tell with survival). Target: <= 1 ms.
// Run on one core: OPENBLAS_NUM_THREADS=1 taskset -c 0 bench/bench_search --benchmark_filter='Linas|Nsga2'
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "../../plugins/search/linas/inner_search.hpp"
#include "../../plugins/search/linas/surrogate.hpp"
#include "../../plugins/spaces/ofa-mobilenetv3/ofa_mobilenetv3.hpp"
#include "nasctl/evolve/nsga2.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/predict/architecture_table.hpp"

namespace {

using namespace nasctl;

std::vector<std::string> ofa_tables() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(NASCTL_SOURCE_DIR "/data/ofa_mbv3_w10_imagenet")) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

PluginConfig ofa_config() {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& key : spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys()) entries[key.name] = {key.default_value, "default"};
  return PluginConfig("space", "", "", entries);
}

// 500 random measured OFA networks and the problem LINAS would see.
struct OfaMeasured {
  PluginConfig config = ofa_config();
  spaces::ofa_mobilenetv3::OfaMobileNetV3 space{PluginContext{config, "ofa"}};
  Problem problem;
  search::linas::Measurements measured;

  // The first n measured networks (LINAS after n real evaluations).
  search::linas::Measurements first(std::size_t n) const {
    search::linas::Measurements m;
    m.x.assign(measured.x.begin(), measured.x.begin() + static_cast<std::ptrdiff_t>(n));
    for (const auto& column : measured.objectives)
      m.objectives.emplace_back(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(n));
    return m;
  }

  OfaMeasured() {
    problem.space = &space;
    problem.objectives = {{"acc.top1", Goal::Maximize}, {"cost.macs", Goal::Minimize}};
    problem.seed = 1;
    const predict::ArchitectureTable table(predict::read_metric_table(ofa_tables(), predict::TableColumns{}), space);
    std::vector<std::size_t> order(table.size());
    std::iota(order.begin(), order.end(), 0);
    Rng rng(7);
    for (std::size_t i = order.size() - 1; i > 0; --i)
      std::swap(order[i], order[static_cast<std::size_t>(uniform_index(rng, static_cast<int>(i + 1)))]);
    measured.objectives.assign(2, {});
    for (std::size_t k = 0; k < 500; ++k) {
      const auto& entry = table.entries()[order[k]];
      measured.keys.insert(space.to_string(space.canonicalize(entry.arch)));
      measured.x.push_back(space.encode(entry.arch));
      measured.objectives[0].push_back(-entry.values[0]);
      measured.objectives[1].push_back(static_cast<double>(count_cost(space.lower(entry.arch)).macs));
    }
  }
};

const OfaMeasured& ofa() {
  static const OfaMeasured data;
  return data;
}

constexpr search::linas::ModelChoice kModels[] = {search::linas::ModelChoice::Ridge, search::linas::ModelChoice::KernelRidge,
                                          search::linas::ModelChoice::Auto};

void BM_LinasFit(benchmark::State& state) {
  const OfaMeasured& d = ofa();
  const search::linas::SurrogateOptions options{kModels[state.range(0)], 5, 1};
  const search::linas::Measurements measured = d.first(static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    const search::linas::Surrogate surrogate(d.problem, measured, options);
    benchmark::DoNotOptimize(surrogate.objectives());
  }
  state.SetLabel(search::linas::to_string(options.model));
}
BENCHMARK(BM_LinasFit)->ArgsProduct({{0, 1, 2}, {250, 500}})->ArgNames({"model", "measured"})->Unit(benchmark::kMillisecond);

void BM_LinasInnerSearch(benchmark::State& state) {
  const OfaMeasured& d = ofa();
  const search::linas::SurrogateOptions options{kModels[state.range(0)], 5, 1};
  const search::linas::Surrogate surrogate(d.problem, d.first(static_cast<std::size_t>(state.range(1))), options);
  uint64_t seed = 0;
  std::size_t evaluations = 0;
  for (auto _ : state) {
    const search::linas::InnerResult r = search::linas::inner_search(d.space, surrogate, search::linas::InnerOptions{50, 20000}, ++seed);
    evaluations = r.evaluations;
    benchmark::DoNotOptimize(r.ranked.data());
  }
  state.counters["predictor_evaluations"] = static_cast<double>(evaluations);
  state.SetLabel(search::linas::to_string(options.model) + std::string(": ") + surrogate.describe().front());
}
BENCHMARK(BM_LinasInnerSearch)
    ->ArgsProduct({{0, 1, 2}, {250, 500}})
    ->ArgNames({"model", "measured"})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

void BM_Nsga2GenerationOfa(benchmark::State& state) {
  const OfaMeasured& d = ofa();
  const search::linas::Surrogate surrogate(d.problem, d.first(250), search::linas::SurrogateOptions{search::linas::ModelChoice::Ridge, 5, 1});
  evolve::Nsga2Options options;
  options.population = 100;
  evolve::Nsga2 nsga2(options);
  nsga2.start(d.space, 3);
  std::vector<Evaluation> told;
  auto generation = [&] {
    std::vector<Architecture> asks = nsga2.ask(100);
    told.resize(asks.size());
    for (std::size_t i = 0; i < asks.size(); ++i) {
      told[i].arch = std::move(asks[i]);
      surrogate.evaluate(d.space.encode(told[i].arch), told[i].objectives, told[i].violation);
    }
    nsga2.tell(told);
  };
  for (int g = 0; g < 20; ++g) generation();  // past the random start: a converging population
  for (auto _ : state) generation();
  state.counters["generation"] = static_cast<double>(nsga2.generation());
}
BENCHMARK(BM_Nsga2GenerationOfa)->Unit(benchmark::kMicrosecond);

}  // namespace
