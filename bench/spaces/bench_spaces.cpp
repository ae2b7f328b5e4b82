// Space lowering cost: a search evaluates tens of thousands of predicted
// candidates, each lowered and counted, so lower + count_cost must stay in
// the microseconds (target: <= 20 us for OFA MobileNetV3).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytic.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "ofa_mobilenetv3.hpp"
#include "space_fixture.hpp"

namespace {

using nasctl::bench::make_plugin;

std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  return nasctl::bench::random_architectures(space);
}

void BM_OfaLowerAndCount(benchmark::State& state) {
  const auto space = make_plugin<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) {
    const nasctl::NetworkSpec spec = space->lower(archs[i++ % archs.size()]);
    benchmark::DoNotOptimize(nasctl::count_cost(spec));
  }
}
BENCHMARK(BM_OfaLowerAndCount);

void BM_OfaLower(benchmark::State& state) {
  const auto space = make_plugin<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaLower);

void BM_OfaParseDynast(benchmark::State& state) {
  const auto space = make_plugin<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::vector<std::string> texts;
  for (const auto& a : archs) texts.push_back(space->to_dynast(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_OfaParseDynast);

void BM_AnalyticEvaluate(benchmark::State& state) {
  const auto space = make_plugin<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  std::vector<nasctl::NetworkSpec> specs;
  for (const auto& a : samples(*space)) specs.push_back(space->lower(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(specs[i++ % specs.size()]));
}
BENCHMARK(BM_AnalyticEvaluate);

}  // namespace
