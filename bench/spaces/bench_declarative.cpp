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

namespace {

using nasctl::spaces::declarative::DeclarativeSpace;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

const std::string kExamples = std::string(NASCTL_SOURCE_DIR) + "/examples/spaces/";

template <typename T>
std::unique_ptr<T> make() {
  std::map<std::string, nasctl::PluginConfig::Entry> entries;
  for (const auto& key : T::config_keys()) entries[key.name] = {key.default_value, "default"};
  const nasctl::PluginConfig config("bench", "", "", std::move(entries));
  return std::make_unique<T>(nasctl::PluginContext{config, "bench", 42});
}

// 256 random canonical architectures of the C++ space (the declarative one
// has the same variables), cycled.
std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  nasctl::Rng rng(1);
  std::vector<nasctl::Architecture> out;
  for (int i = 0; i < 256; ++i) out.push_back(space.canonicalize(space.sample(rng)));
  return out;
}

void BM_OfaBuiltinLowerAndAnalytic(benchmark::State& state) {
  const auto space = make<OfaMobileNetV3>();
  const auto model = make<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaBuiltinLowerAndAnalytic);

void BM_OfaDeclarativeLowerAndAnalytic(benchmark::State& state) {
  const DeclarativeSpace space(kExamples + "ofa-mobilenetv3.toml");
  const auto model = make<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*make<OfaMobileNetV3>());
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space.lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaDeclarativeLowerAndAnalytic);

void BM_OfaBuiltinLower(benchmark::State& state) {
  const auto space = make<OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaBuiltinLower);

void BM_OfaDeclarativeLower(benchmark::State& state) {
  const DeclarativeSpace space(kExamples + "ofa-mobilenetv3.toml");
  const auto archs = samples(*make<OfaMobileNetV3>());
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space.lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaDeclarativeLower);

void BM_SmallCnnLowerAndAnalytic(benchmark::State& state) {
  const DeclarativeSpace space(kExamples + "small-cnn.toml");
  const auto model = make<nasctl::hardware::analytic::AnalyticModel>();
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
  const auto space = make<OfaMobileNetV3>();
  for (auto _ : state) benchmark::DoNotOptimize(space->distinct_layers().size());
}
BENCHMARK(BM_OfaBuiltinDistinctLayers)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
