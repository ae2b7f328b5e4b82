// FBNet space: lowering + analytic evaluation per architecture (target
// <= 20 us, as for the other convolutional spaces), at both input layouts.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analytic.hpp"
#include "fbnet_space.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"

namespace {

template <typename T>
std::unique_ptr<T> make(const std::map<std::string, nasctl::ConfigValue>& overrides = {}) {
  std::map<std::string, nasctl::PluginConfig::Entry> entries;
  for (const auto& key : T::config_keys()) entries[key.name] = {key.default_value, "default"};
  for (const auto& [name, value] : overrides) entries[name] = {value, "bench"};
  const nasctl::PluginConfig config("bench", "", "", std::move(entries));
  return std::make_unique<T>(nasctl::PluginContext{config, "bench", 42});
}

using nasctl::spaces::fbnet::FbnetSpace;

// range(0): 0 = cifar, 1 = imagenet.
std::unique_ptr<FbnetSpace> fbnet(const benchmark::State& state) {
  return make<FbnetSpace>({{"input", std::string(state.range(0) ? "imagenet" : "cifar")}});
}

// 256 random architectures, cycled, so the branch pattern is realistic.
std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  nasctl::Rng rng(1);
  std::vector<nasctl::Architecture> out;
  for (int i = 0; i < 256; ++i) out.push_back(space.sample(rng));
  return out;
}

void BM_FbnetLowerAndAnalytic(benchmark::State& state) {
  const auto space = fbnet(state);
  const auto model = make<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_FbnetLowerAndAnalytic)->Arg(0)->Arg(1);

void BM_FbnetLower(benchmark::State& state) {
  const auto space = fbnet(state);
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_FbnetLower)->Arg(0);

void BM_FbnetParse(benchmark::State& state) {
  const auto space = fbnet(state);
  std::vector<std::string> texts;
  for (const auto& a : samples(*space)) texts.push_back(space->to_string(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_FbnetParse)->Arg(0);

}  // namespace
