// bert-base and vit-base lowering cost: lower + the analytic model's counts
// per architecture (6-12 encoder layers, 73-139 NetworkSpec layers),
// lower alone, and DyNAS-T dict parsing.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "analytic.hpp"
#include "encoder_space.hpp"
#include "nasctl/network_spec.hpp"
#include "space_fixture.hpp"

namespace {

using nasctl::bench::make_plugin;
using nasctl::bench::random_architectures;
using nasctl::spaces::bert_vit::BertBase;
using nasctl::spaces::bert_vit::VitBase;

template <typename Space>
void BM_LowerAndAnalytic(benchmark::State& state) {
  const auto space = make_plugin<Space>();
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = random_architectures(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK_TEMPLATE(BM_LowerAndAnalytic, BertBase);
BENCHMARK_TEMPLATE(BM_LowerAndAnalytic, VitBase);

template <typename Space>
void BM_Lower(benchmark::State& state) {
  const auto space = make_plugin<Space>();
  const auto archs = random_architectures(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK_TEMPLATE(BM_Lower, BertBase);
BENCHMARK_TEMPLATE(BM_Lower, VitBase);

template <typename Space>
void BM_ParseDynast(benchmark::State& state) {
  const auto space = make_plugin<Space>();
  std::vector<std::string> texts;
  for (const auto& a : random_architectures(*space)) texts.push_back(space->to_dynast(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK_TEMPLATE(BM_ParseDynast, BertBase);
BENCHMARK_TEMPLATE(BM_ParseDynast, VitBase);

}  // namespace
