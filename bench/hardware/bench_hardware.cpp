// Hardware-model evaluation cost per OFA MobileNetV3 sub-network, on specs
// lowered beforehand (lowering is the space's cost, bench/spaces measures
// it). Target for `lut`: <= 2 us per sub-network. BM_LutKeyStrings shows why
// the packed-layer cache exists: one Layer::key() string per layer is
// already several times the target.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include "analytic.hpp"
#include "lut_model.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/lut/lut_file.hpp"
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

// The space over every OFA resolution, and 256 random sub-networks, cycled.
struct Fixture {
  std::unique_ptr<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3> space;
  std::vector<nasctl::NetworkSpec> specs;
  std::string lut_file;
  double layers_per_network = 0;

  Fixture() {
    std::vector<int64_t> resolutions;
    for (int64_t r = 128; r <= 224; r += 4) resolutions.push_back(r);
    space = make<nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3>({{"resolutions", resolutions}});
    nasctl::Rng rng(1);
    for (int i = 0; i < 256; ++i) specs.push_back(space->lower(space->sample(rng)));
    for (const auto& s : specs) layers_per_network += static_cast<double>(s.layers.size()) / specs.size();
    // A complete table of the space (values do not change the cost).
    lut_file = (std::filesystem::temp_directory_path() / ("bench-lut-" + std::to_string(::getpid()) + ".csv")).string();
    std::ofstream out(lut_file);
    out << nasctl::lut::kFormatLine << "\n";
    nasctl::write_csv_row(out, nasctl::lut::lut_columns(false));
    for (const auto& layer : space->distinct_layers()) {
      nasctl::lut::LutEntry e;
      e.key = layer.key();
      e.latency_ms = 1e-6 * static_cast<double>(nasctl::layer_macs(layer)) + 0.01;
      nasctl::write_csv_row(out, nasctl::lut::lut_row(layer, e, false));
    }
  }
  ~Fixture() { std::filesystem::remove(lut_file); }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_LutEvaluate(benchmark::State& state) {
  Fixture& f = fixture();
  auto model = make<nasctl::hardware::lut::LutModel>({{"file", f.lut_file}});
  for (const auto& s : f.specs) model->evaluate(s);  // steady state: every layer seen once
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(f.specs[i++ % f.specs.size()]));
  state.counters["layers"] = f.layers_per_network;
}
BENCHMARK(BM_LutEvaluate);

// The first sight of every layer (a fresh model each 256 networks): the key() path.
void BM_LutEvaluateCold(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    state.PauseTiming();
    auto model = make<nasctl::hardware::lut::LutModel>({{"file", f.lut_file}});
    state.ResumeTiming();
    for (const auto& s : f.specs) benchmark::DoNotOptimize(model->evaluate(s));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(f.specs.size()));
}
BENCHMARK(BM_LutEvaluateCold)->Unit(benchmark::kMillisecond);

void BM_LutKeyStrings(benchmark::State& state) {
  Fixture& f = fixture();
  std::unordered_map<std::string, double> table;
  for (const auto& layer : f.space->distinct_layers()) table[layer.key()] = 1.0;
  std::size_t i = 0;
  for (auto _ : state) {
    double sum = 0;
    for (const auto& layer : f.specs[i++ % f.specs.size()].layers) sum += table.find(layer.key())->second;
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_LutKeyStrings);

void BM_AnalyticEvaluate(benchmark::State& state) {
  Fixture& f = fixture();
  auto model = make<nasctl::hardware::analytic::AnalyticModel>();
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(model->evaluate(f.specs[i++ % f.specs.size()]));
}
BENCHMARK(BM_AnalyticEvaluate);

}  // namespace
