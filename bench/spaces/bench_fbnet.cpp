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
#include "space_fixture.hpp"

namespace {

using nasctl::bench::make_plugin;

using nasctl::spaces::fbnet::FbnetSpace;

// range(0): 0 = cifar, 1 = imagenet.
std::unique_ptr<FbnetSpace> fbnet(const benchmark::State& state) {
  return make_plugin<FbnetSpace>({{"input", std::string(state.range(0) ? "imagenet" : "cifar")}});
}

std::vector<nasctl::Architecture> samples(const nasctl::SearchSpace& space) {
  return nasctl::bench::random_architectures(space, /*canonical=*/false);
}

void BM_FbnetLowerAndAnalytic(benchmark::State& state) {
  const auto space = fbnet(state);
  const auto model = make_plugin<nasctl::hardware::analytic::AnalyticModel>();
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
