// The predictor on the real OFA MobileNetV3 ImageNet tables: indexing the
// 2,373 rows (parsing DyNAS-T's dict strings), fitting the cross-validated
// ridge on all 2,162 architectures, and predicting one candidate from its
// architecture (encoding included), as the predictor source does per call.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>

#include "../../plugins/spaces/ofa-mobilenetv3/ofa_mobilenetv3.hpp"
#include "nasctl/predict/architecture_table.hpp"
#include "nasctl/predict/ridge.hpp"

namespace {

using namespace nasctl;

std::vector<std::string> ofa_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(NASCTL_SOURCE_DIR "/data/ofa_mbv3_w10_imagenet")) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Ofa {
  PluginConfig config;
  spaces::ofa_mobilenetv3::OfaMobileNetV3 space;
  predict::MetricTable raw;
  predict::ArchitectureTable table;
  predict::FeatureRows x;
  std::vector<double> y;

  Ofa()
      : config(make_config()),
        space(PluginContext{config, "ofa"}),
        raw(predict::read_metric_table(ofa_files(), predict::TableColumns{})),
        table(raw, space) {
    for (const auto& e : table.entries()) x.push_back(space.encode(e.arch));
    y = table.values(0);
  }

  static PluginConfig make_config() {
    std::map<std::string, PluginConfig::Entry> entries;
    for (const auto& key : spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys()) entries[key.name] = {key.default_value, "default"};
    return PluginConfig("space", "", "", entries);
  }
};

const Ofa& ofa() {
  static const Ofa data;
  return data;
}

void BM_OfaTableIndex(benchmark::State& state) {
  const Ofa& d = ofa();
  for (auto _ : state) {
    predict::ArchitectureTable table(d.raw, d.space);
    benchmark::DoNotOptimize(table.size());
  }
  state.counters["rows"] = static_cast<double>(d.raw.rows.size());
}
BENCHMARK(BM_OfaTableIndex)->Unit(benchmark::kMillisecond);

void BM_OfaRidgeCvFit(benchmark::State& state) {
  const Ofa& d = ofa();
  const auto n = std::min(d.x.size(), static_cast<std::size_t>(state.range(0)));
  const predict::FeatureRows x(d.x.begin(), d.x.begin() + static_cast<std::ptrdiff_t>(n));
  const std::vector<double> y(d.y.begin(), d.y.begin() + static_cast<std::ptrdiff_t>(n));
  for (auto _ : state) {
    predict::RidgeCV model;
    model.fit(x, y);
    benchmark::DoNotOptimize(model.report().lambda);
  }
  state.counters["samples"] = static_cast<double>(n);
  state.counters["features"] = static_cast<double>(x.front().size());
}
BENCHMARK(BM_OfaRidgeCvFit)->Arg(250)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_OfaEncodeAndPredict(benchmark::State& state) {
  const Ofa& d = ofa();
  predict::RidgeCV model;
  model.fit(d.x, d.y);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& arch = d.table.entries()[i].arch;
    benchmark::DoNotOptimize(model.predict_one(d.space.encode(arch)));
    i = (i + 1) % d.table.size();
  }
}
BENCHMARK(BM_OfaEncodeAndPredict);

}  // namespace
