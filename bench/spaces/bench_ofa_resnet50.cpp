// OFA ResNet50 lowering cost: lower + the analytic model's counts per
// architecture (target: <= 20 us, as for the other convolutional spaces).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytic.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "space_fixture.hpp"
#include "ofa_resnet50.hpp"

namespace {

using nasctl::bench::make_plugin;

using nasctl::spaces::ofa_resnet50::OfaResNet50;

std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  return nasctl::bench::random_architectures(space);
}

void BM_OfaResNet50LowerAndAnalytic(benchmark::State& state) {
  const auto space = make_plugin<OfaResNet50>();
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaResNet50LowerAndAnalytic);

void BM_OfaResNet50LowerAndCount(benchmark::State& state) {
  const auto space = make_plugin<OfaResNet50>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::count_cost(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaResNet50LowerAndCount);

void BM_OfaResNet50Lower(benchmark::State& state) {
  const auto space = make_plugin<OfaResNet50>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaResNet50Lower);

void BM_OfaResNet50ParseDynast(benchmark::State& state) {
  const auto space = make_plugin<OfaResNet50>();
  std::vector<std::string> texts;
  for (const auto& a : samples(*space)) texts.push_back(space->to_dynast(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_OfaResNet50ParseDynast);

}  // namespace
