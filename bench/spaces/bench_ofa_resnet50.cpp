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
#include "ofa_resnet50.hpp"

namespace {

using nasctl::spaces::ofa_resnet50::OfaResNet50;

template <typename T>
std::unique_ptr<T> make(const std::map<std::string, nasctl::ConfigValue>& overrides = {}) {
  std::map<std::string, nasctl::PluginConfig::Entry> entries;
  for (const auto& key : T::config_keys()) entries[key.name] = {key.default_value, "default"};
  for (const auto& [name, value] : overrides) entries[name] = {value, "bench"};
  const nasctl::PluginConfig config("bench", "", "", std::move(entries));
  return std::make_unique<T>(nasctl::PluginContext{config, "bench", 42});
}

// 256 random canonical architectures, cycled.
std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  nasctl::Rng rng(1);
  std::vector<nasctl::Architecture> out;
  for (int i = 0; i < 256; ++i) out.push_back(space.canonicalize(space.sample(rng)));
  return out;
}

void BM_OfaResNet50LowerAndAnalytic(benchmark::State& state) {
  const auto space = make<OfaResNet50>();
  const auto model = make<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaResNet50LowerAndAnalytic);

void BM_OfaResNet50LowerAndCount(benchmark::State& state) {
  const auto space = make<OfaResNet50>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(nasctl::count_cost(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_OfaResNet50LowerAndCount);

void BM_OfaResNet50Lower(benchmark::State& state) {
  const auto space = make<OfaResNet50>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_OfaResNet50Lower);

void BM_OfaResNet50ParseDynast(benchmark::State& state) {
  const auto space = make<OfaResNet50>();
  std::vector<std::string> texts;
  for (const auto& a : samples(*space)) texts.push_back(space->to_dynast(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_OfaResNet50ParseDynast);

}  // namespace
