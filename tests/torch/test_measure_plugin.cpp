// The measure hardware plugin, compiled in directly.
#include "torch_doctest.hpp"

#include <map>
#include <string>

#include "measure.hpp"
#include "nasctl/error.hpp"
#include "nasctl/torch/latency.hpp"
#include "specs.hpp"

using namespace nasctl;
using nasctl::plugins::MeasureModel;

namespace {

// The config core would hand the plugin: every declared key defaulted, the
// overrides as if read from test.toml.
PluginConfig config_with(const std::map<std::string, ConfigValue>& overrides) {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const ConfigKey& key : MeasureModel::config_keys()) entries[key.name] = {key.default_value, "default"};
  for (const auto& [key, value] : overrides) entries[key] = {value, "test.toml:4:10"};
  return PluginConfig("hardware[0]", "/tmp", "test.toml", entries);
}

}  // namespace

TEST_CASE("measure plugin declares latency_ms latency_spread and latency_cpu_ms and asks for an exclusive machine") {
  const PluginConfig config = config_with({});
  MeasureModel model(PluginContext{config, "cpu", 42});
  const auto metrics = model.metrics();
  REQUIRE(metrics.size() == 3);
  CHECK(metrics[0].name == "latency_ms");
  CHECK(metrics[0].unit == "ms");
  CHECK(metrics[1].name == "latency_spread");
  CHECK(metrics[2].name == "latency_cpu_ms");
  CHECK(model.needs_exclusive_machine());
}

TEST_CASE("measure plugin defaults to cpu optimized 1 thread batch 1 with 10 warm-up and 30 timed runs and CUDA graphs") {
  const PluginConfig config = config_with({});
  MeasureModel model(PluginContext{config, "cpu", 42});
  const libtorch::LatencyOptions& o = model.options();
  CHECK(o.device == libtorch::Device::Cpu);
  CHECK(o.mode == libtorch::ExecutionMode::Optimized);
  CHECK(o.threads == 1);
  CHECK(o.batch == 1);
  CHECK(o.warmup == 10);
  CHECK(o.repeats == 30);
  CHECK(o.cuda_graph);
}

TEST_CASE("measure plugin reads its keys and reports them as conditions") {
  const PluginConfig config = config_with({{"mode", std::string("eager")}, {"threads", int64_t{2}},
                                           {"batch", int64_t{3}}, {"repeats", int64_t{4}}});
  MeasureModel model(PluginContext{config, "cpu", 42});
  const Conditions c = model.conditions();
  CHECK(c.at("mode") == "eager");
  CHECK(c.at("threads") == "2");
  CHECK(c.at("batch") == "3");
  CHECK(c.at("repeats") == "4");
  CHECK(c.at("device") == "cpu");
}

TEST_CASE("measure plugin: statistic sets what latency_ms reports, and the conditions say so") {
  MeasureModel median(PluginContext{config_with({}), "cpu", 42});
  CHECK(median.options().statistic == libtorch::Statistic::Median);
  CHECK(median.conditions().at("statistic").rfind("median of the timed runs", 0) == 0);
  MeasureModel p10(PluginContext{config_with({{"statistic", std::string("p10")}}), "cpu", 42});
  CHECK(p10.options().statistic == libtorch::Statistic::P10);
  CHECK(p10.conditions().at("statistic").rfind("10th percentile of the timed runs", 0) == 0);
  MeasureModel min(PluginContext{config_with({{"statistic", std::string("min")}}), "cpu", 42});
  CHECK(min.options().statistic == libtorch::Statistic::Min);
}

TEST_CASE("measure plugin times lone layers for lookup tables back to back as configured, networks one pass each") {
  MeasureModel defaults(PluginContext{config_with({}), "cpu", 42});
  CHECK(defaults.options().back_to_back == 1);
  CHECK(defaults.layer_back_to_back() == 1);  // 0 = automatic: 1 on the CPU
  CHECK(defaults.layer_protocol() == "one pass per timed sample");
  CHECK(defaults.conditions().count("layer_back_to_back") == 0);  // tables built before the key stay extendable
  MeasureModel four(PluginContext{config_with({{"layer_back_to_back", int64_t{4}}, {"warmup", int64_t{1}},
                                               {"repeats", int64_t{3}}}),
                                  "cpu", 42});
  CHECK(four.options().back_to_back == 1);
  CHECK(four.layer_back_to_back() == 4);
  CHECK(four.layer_protocol() == "4 passes back to back per timed sample, per-pass share");
  CHECK(four.conditions().at("layer_back_to_back") == "4");
  const Metrics m = four.evaluate_layer(test::shufflenet_like());
  CHECK(m.at("latency_ms") > 0);
}

TEST_CASE("measure plugin evaluates a network to a positive median latency and a spread") {
  const PluginConfig config = config_with({{"warmup", int64_t{1}}, {"repeats", int64_t{5}}});
  MeasureModel model(PluginContext{config, "cpu", 42});
  const Metrics m = model.evaluate(test::shufflenet_like());
  REQUIRE(m.count("latency_ms") == 1);
  REQUIRE(m.count("latency_spread") == 1);
  REQUIRE(m.count("latency_cpu_ms") == 1);
  CHECK(m.at("latency_ms") > 0);
  CHECK(m.at("latency_spread") >= 0);
  CHECK(m.at("latency_cpu_ms") > 0);
}

TEST_CASE("measure plugin ranks a network with 100x the MACs as slower") {
  const PluginConfig config = config_with({{"warmup", int64_t{2}}, {"repeats", int64_t{5}}});
  MeasureModel model(PluginContext{config, "cpu", 42});
  NetworkBuilder small("small", {3, 32, 32});
  small.conv(8, 3, 2, 1, true, ActivationKind::ReLU);
  small.global_avg_pool();
  small.linear(10, true);
  NetworkBuilder big("big", {3, 32, 32});
  big.conv(64, 3, 1, 1, true, ActivationKind::ReLU);
  big.conv(64, 3, 1, 1, true, ActivationKind::ReLU);
  big.conv(64, 3, 1, 1, true, ActivationKind::ReLU);
  big.global_avg_pool();
  big.linear(10, true);
  const NetworkSpec s = std::move(small).finish(), b = std::move(big).finish();
  REQUIRE(count_cost(b).macs > 100 * count_cost(s).macs);
  CHECK(model.evaluate(b).at("latency_ms") > model.evaluate(s).at("latency_ms"));
}

TEST_CASE("measure plugin with device cuda fails at construction naming the key and the reason and a fix") {
  const PluginConfig config = config_with({{"device", std::string("cuda")}});
  if (libtorch::cuda_unavailable_reason().empty()) {
    // A CUDA build on a machine with a GPU: nothing to refuse.
    CHECK_NOTHROW(MeasureModel(PluginContext{config, "gpu", 42}));
    return;
  }
  try {
    MeasureModel model(PluginContext{config, "gpu", 42});
    FAIL("expected a ConfigError");
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    CHECK(what.rfind("test.toml:4:10: key 'hardware[0].device': \"cuda\" cannot be measured: ", 0) == 0);
    CHECK(what.find("; fix: ") != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
    if (!libtorch::built_with_cuda()) CHECK(what.find("CPU-only LibTorch") != std::string::npos);
  }
}
