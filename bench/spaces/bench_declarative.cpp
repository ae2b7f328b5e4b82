// The declarative space's cost: examples/spaces/ofa-mobilenetv3.toml against
// the C++ ofa-mobilenetv3 it reproduces, on the same 256 random canonical
// architectures: lower + the analytic model's counts, lower alone, and the
// small CNN example. Loading the file (parse, compile, validation lowerings)
// and the exact exploration behind `lut build` are measured once each.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytic.hpp"
#include "declarative_space.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "ofa_mobilenetv3.hpp"
#include "space_fixture.hpp"

namespace {

using nasctl::bench::make_plugin;

using nasctl::spaces::declarative::DeclarativeSpace;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

const std::string kExamples = std::string(NASCTL_SOURCE_DIR) + "/examples/spaces/";

// Architectures of the C++ space: the declarative one has the same variables.
std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  return nasctl::bench::random_architectures(space);
}

void BM_OfaBuiltinLowerAndAnalytic(benchmark::State& state) {
  const auto space = make_plugin<OfaMobileNetV3>();
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaBuiltinLowerAndAnalytic);

void BM_OfaDeclarativeLowerAndAnalytic(benchmark::State& state) {
  const DeclarativeSpace space(kExamples + "ofa-mobilenetv3.toml");
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*make_plugin<OfaMobileNetV3>());
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space.lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaDeclarativeLowerAndAnalytic);

void BM_OfaBuiltinLower(benchmark::State& state) {
  const auto space = make_plugin<OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaBuiltinLower);

void BM_OfaDeclarativeLower(benchmark::State& state) {
  const DeclarativeSpace space(kExamples + "ofa-mobilenetv3.toml");
  const auto archs = samples(*make_plugin<OfaMobileNetV3>());
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space.lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaDeclarativeLower);

void BM_SmallCnnLowerAndAnalytic(benchmark::State& state) {
  const DeclarativeSpace space(kExamples + "small-cnn.toml");
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space.lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_SmallCnnLowerAndAnalytic);

void BM_OfaDeclarativeLoad(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(DeclarativeSpace(kExamples + "ofa-mobilenetv3.toml").variables().size());
}
BENCHMARK(BM_OfaDeclarativeLoad)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_OfaDeclarativeDistinctLayers(benchmark::State& state) {
  for (auto _ : state) {
    const DeclarativeSpace space(kExamples + "ofa-mobilenetv3.toml");
    benchmark::DoNotOptimize(space.distinct_layers().size());
  }
}
BENCHMARK(BM_OfaDeclarativeDistinctLayers)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_OfaBuiltinDistinctLayers(benchmark::State& state) {
  const auto space = make_plugin<OfaMobileNetV3>();
  for (auto _ : state) benchmark::DoNotOptimize(space->distinct_layers().size());
}
BENCHMARK(BM_OfaBuiltinDistinctLayers)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
