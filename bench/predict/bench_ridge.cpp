// Ridge on synthetic one-hot data shaped like an OFA MobileNetV3 encoding
// (46 variables, 136 features): fit with a fixed lambda, the full 5-fold x
// 33-lambda selection, and one prediction.
#include <benchmark/benchmark.h>

#include <random>

#include "nasctl/predict/ridge.hpp"

namespace {

using nasctl::predict::FeatureRows;

struct OneHotData {
  FeatureRows x;
  std::vector<double> y;
};

OneHotData one_hot_data(std::size_t n) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> effect(0.0, 0.2);
  constexpr int kVariables = 45, kChoices = 3;
  std::vector<double> w(kVariables * kChoices + 1);
  for (auto& v : w) v = effect(rng);
  OneHotData d;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> row(w.size(), 0.0);
    double y = 75.0 + effect(rng);
    for (int v = 0; v < kVariables; ++v) {
      const auto c = static_cast<std::size_t>(v * kChoices) + rng() % kChoices;
      row[c] = 1.0;
      y += w[c];
    }
    row.back() = 1.0;  // a constant feature, as a one-choice resolution gives
    d.x.push_back(row);
    d.y.push_back(y);
  }
  return d;
}

void BM_RidgeFit(benchmark::State& state) {
  const OneHotData d = one_hot_data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    nasctl::predict::Ridge model(10.0);
    model.fit(d.x, d.y);
    benchmark::DoNotOptimize(model.intercept());
  }
  state.counters["samples"] = static_cast<double>(d.x.size());
}
BENCHMARK(BM_RidgeFit)->Arg(250)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_RidgeCvFit(benchmark::State& state) {
  const OneHotData d = one_hot_data(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    nasctl::predict::RidgeCV model;
    model.fit(d.x, d.y);
    benchmark::DoNotOptimize(model.report().lambda);
  }
  state.counters["samples"] = static_cast<double>(d.x.size());
}
BENCHMARK(BM_RidgeCvFit)->Arg(250)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_RidgePredictOne(benchmark::State& state) {
  const OneHotData d = one_hot_data(500);
  nasctl::predict::Ridge model(10.0);
  model.fit(d.x, d.y);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.predict_one(d.x[i]));
    i = (i + 1) % d.x.size();
  }
}
BENCHMARK(BM_RidgePredictOne);

}  // namespace
