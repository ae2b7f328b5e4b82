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
#include "transformer_lt.hpp"

namespace {

using nasctl::spaces::transformer_lt::TransformerLT;

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

void BM_TransformerLTLowerAndAnalytic(benchmark::State& state) {
  const auto space = make<TransformerLT>();
  const auto model = make<nasctl::hardware::analytic::AnalyticModel>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(space->lower(archs[i++ % archs.size()])));
}
BENCHMARK(BM_TransformerLTLowerAndAnalytic);

void BM_TransformerLTLower(benchmark::State& state) {
  const auto space = make<TransformerLT>();
  const auto archs = samples(*space);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->lower(archs[i++ % archs.size()]));
}
BENCHMARK(BM_TransformerLTLower);

void BM_TransformerLTParseDynast(benchmark::State& state) {
  const auto space = make<TransformerLT>();
  std::vector<std::string> texts;
  for (const auto& a : samples(*space)) texts.push_back(space->to_dynast(a));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(space->parse(texts[i++ % texts.size()]));
}
BENCHMARK(BM_TransformerLTParseDynast);

}  // namespace
