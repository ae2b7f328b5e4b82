// Kendall's tau-b on n pairs with ties: O(n log n), so ranking a whole
// population of predictions each generation is cheap.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "nasctl/predict/statistics.hpp"

namespace {

void BM_KendallTau(benchmark::State& state) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> a, b;
  for (int64_t i = 0; i < state.range(0); ++i) {
    a.push_back(std::round(10.0 * normal(rng)));
    b.push_back(a.back() + std::round(5.0 * normal(rng)));
  }
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::predict::kendall_tau(a, b));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_KendallTau)->RangeMultiplier(10)->Range(100, 100000)->Complexity(benchmark::oNLogN);

}  // namespace
