// Transformer-LT lowering cost: lower + the analytic model's counts per
// architecture (about 200 layers for a 6-layer decoder), and DyNAS-T dict
// parsing.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytic.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "space_fixture.hpp"
#include "transformer_lt.hpp"

namespace {

using nasctl::bench::make_plugin;

using nasctl::spaces::transformer_lt::TransformerLT;

std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  return nasctl::bench::random_architectures(space);
}

void BM_TransformerLTLowerAndAnalytic(benchmark::State& state) {
  const auto space = make_plugin<TransformerLT>();
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_TransformerLTLowerAndAnalytic);

void BM_TransformerLTLower(benchmark::State& state) {
  const auto space = make_plugin<TransformerLT>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_TransformerLTLower);

void BM_TransformerLTParseDynast(benchmark::State& state) {
  const auto space = make_plugin<TransformerLT>();
  std::vector<std::string> texts;
  for (const auto& a : samples(*space)) texts.push_back(space->to_dynast(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_TransformerLTParseDynast);

}  // namespace
