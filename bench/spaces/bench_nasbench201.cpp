// NAS-Bench-201: lowering + analytic evaluation per architecture (target
// <= 20 us, as for the other convolutional spaces), canonicalize (a search
// calls it on every candidate) and parsing the cell string.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytic.hpp"
#include "nasbench201_space.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "space_fixture.hpp"

namespace {

using nasctl::bench::make_plugin;

using nasctl::spaces::nasbench201::NasBench201;

std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  return nasctl::bench::random_architectures(space, /*canonical=*/false);
}

void BM_Nasbench201LowerAndAnalytic(benchmark::State& state) {
  const auto space = make_plugin<NasBench201>();
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_Nasbench201LowerAndAnalytic);

void BM_Nasbench201Lower(benchmark::State& state) {
  const auto space = make_plugin<NasBench201>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_Nasbench201Lower);

void BM_Nasbench201Canonicalize(benchmark::State& state) {
  const auto space = make_plugin<NasBench201>();
  const auto archs = samples(*space);
  space->canonicalize(archs[0]);  // the class table is built once per process
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->canonicalize(archs[i++ % archs.size()]));
}
BENCHMARK(BM_Nasbench201Canonicalize);

void BM_Nasbench201Parse(benchmark::State& state) {
  const auto space = make_plugin<NasBench201>();
  std::vector<std::string> texts;
  for (const auto& a : samples(*space)) texts.push_back(space->to_string(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_Nasbench201Parse);

}  // namespace
