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

namespace {

template <typename T>
std::unique_ptr<T> make(const std::map<std::string, nasctl::ConfigValue>& overrides = {}) {
  std::map<std::string, nasctl::PluginConfig::Entry> entries;
  for (const auto& key : T::config_keys()) entries[key.name] = {key.default_value, "default"};
  for (const auto& [name, value] : overrides) entries[name] = {value, "bench"};
  const nasctl::PluginConfig config("bench", "", "", std::move(entries));
  return std::make_unique<T>(nasctl::PluginContext{config, "bench", 42});
}

// 256 random architectures, cycled, so the branch pattern is realistic.
std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  nasctl::Rng rng(1);
  std::vector<nasctl::Architecture> out;
  for (int i = 0; i < 256; ++i) out.push_back(space.canonicalize(space.sample(rng)));
  return out;
}

void BM_OfaLowerAndCount(benchmark::State& state) {
  const auto space = make<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) {
    const nasctl::NetworkSpec spec = space->lower(archs[i++ % archs.size()]);
    benchmark::DoNotOptimize(nasctl::count_cost(spec));
  }
}
BENCHMARK(BM_OfaLowerAndCount);

void BM_OfaLower(benchmark::State& state) {
  const auto space = make<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaLower);

void BM_OfaParseDynast(benchmark::State& state) {
  const auto space = make<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto archs = samples(*space);
  std::vector<std::string> texts;
  for (const auto& a : archs) texts.push_back(space->to_dynast(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_OfaParseDynast);

void BM_AnalyticEvaluate(benchmark::State& state) {
  const auto space = make<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const auto model = make<nasctl::hardware::analytic::AnalyticModel>();
  std::vector<nasctl::NetworkSpec> specs;
  for (const auto& a : samples(*space)) specs.push_back(space->lower(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(specs[i++ % specs.size()]));
}
BENCHMARK(BM_AnalyticEvaluate);

}  // namespace
