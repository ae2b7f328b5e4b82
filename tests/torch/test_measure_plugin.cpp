// The measure hardware plugin, compiled in directly.
#include "torch_doctest.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "measure.hpp"
#include "nasctl/error.hpp"
#include "nasctl/torch/latency.hpp"
#include "specs.hpp"

using namespace nasctl;
using nasctl::hardware::measure::MeasureModel;

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

TEST_CASE("measure plugin declares latency_ms latency_spread latency_cpu_ms latency_ci_percent and asks for an exclusive machine") {
  const PluginConfig config = config_with({});
  MeasureModel model(PluginContext{config, "cpu", 42});
  const auto metrics = model.metrics();
  REQUIRE(metrics.size() == 4);
  CHECK(metrics[0].name == "latency_ms");
  CHECK(metrics[0].unit == "ms");
  CHECK(metrics[1].name == "latency_spread");
  CHECK(metrics[2].name == "latency_cpu_ms");
  CHECK(metrics[3].name == "latency_ci_percent");
  CHECK(model.needs_exclusive_machine());
  CHECK(dynamic_cast<BatchMeasurable*>(&model) != nullptr);
}

TEST_CASE("measure plugin in fastest mode also declares latency_form and names the forms in the conditions") {
  MeasureModel model(PluginContext{config_with({{"mode", std::string("fastest")}}), "cpu", 42});
  const auto metrics = model.metrics();
  REQUIRE(metrics.size() == 5);
  CHECK(metrics[4].name == "latency_form");
  CHECK(model.conditions().at("mode") == "fastest");
  CHECK(model.conditions().count("forms") == 1);
}

TEST_CASE("measure plugin defaults to cpu optimized 1 thread batch 1, 10 warm-up and 30..1000 timed runs to +-2% in 1 s") {
  const PluginConfig config = config_with({});
  MeasureModel model(PluginContext{config, "cpu", 42});
  const libtorch::LatencyOptions& o = model.options();
  CHECK(o.device == libtorch::Device::Cpu);
  CHECK(o.mode == libtorch::ExecutionMode::Optimized);  // mode "auto" on the CPU
  CHECK(model.conditions().at("mode") == "optimized");
  CHECK(o.threads == 1);
  CHECK(o.batch == 1);
  CHECK(o.warmup == 10);
  CHECK(o.repeats == 30);
  CHECK(o.max_repeats == 1000);
  CHECK(o.ci_target_percent == 2);
  CHECK(o.max_seconds == 1);
  CHECK(o.interleave == 64);
  CHECK(o.cuda_graph);
}

TEST_CASE("measure plugin refuses max_repeats below repeats naming the key and the fix") {
  const PluginConfig config = config_with({{"repeats", int64_t{50}}, {"max_repeats", int64_t{40}}});
  CHECK_THROWS_WITH_AS(MeasureModel(PluginContext{config, "cpu", 42}),
                       "test.toml:4:10: key 'hardware[0].max_repeats': 40 is below repeats = 50; fix: set "
                       "max_repeats >= repeats (repeats is the least number of timed passes)",
                       ConfigError);
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
  CHECK(c.at("ci_target_percent") == "2");
  CHECK(c.at("max_seconds") == "1");
  CHECK(c.at("max_repeats") == "1000");
  CHECK(c.at("interleave") == "64");
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
                                               {"repeats", int64_t{3}}, {"ci_target_percent", 0.0}}),
                                  "cpu", 42});
  CHECK(four.options().back_to_back == 1);
  CHECK(four.layer_back_to_back() == 4);
  CHECK(four.layer_protocol() == "4 passes back to back per timed sample, per-pass share");
  CHECK(four.conditions().at("layer_back_to_back") == "4");
  const Metrics m = four.evaluate_layer(test::shufflenet_like());
  CHECK(m.at("latency_ms") > 0);
}

TEST_CASE("measure plugin evaluates a network to a positive median latency, a spread and the interval reached") {
  // ci_target_percent = 0: exactly 5 runs, the interval they give reported.
  const PluginConfig config = config_with({{"warmup", int64_t{1}}, {"repeats", int64_t{5}}, {"ci_target_percent", 0.0}});
  MeasureModel model(PluginContext{config, "cpu", 42});
  const Metrics m = model.evaluate(test::shufflenet_like());
  REQUIRE(m.count("latency_ms") == 1);
  REQUIRE(m.count("latency_spread") == 1);
  REQUIRE(m.count("latency_cpu_ms") == 1);
  REQUIRE(m.count("latency_ci_percent") == 1);
  CHECK(m.count("latency_form") == 0);
  CHECK(m.at("latency_ms") > 0);
  CHECK(m.at("latency_spread") >= 0);
  CHECK(m.at("latency_cpu_ms") > 0);
  CHECK(m.at("latency_ci_percent") >= 0);
}

TEST_CASE("measure plugin measures a batch: one outcome per network in order, each done once, warned at most once") {
  // max_seconds = 0 stops every network at its 5 runs; whether their
  // interval reached +-2% depends on the machine, so the test checks only
  // that a warning came exactly when a measurement missed the target, once.
  const PluginConfig config =
      config_with({{"warmup", int64_t{1}}, {"repeats", int64_t{5}}, {"max_seconds", 0.0}, {"interleave", int64_t{2}}});
  std::vector<std::string> warnings;
  MeasureModel model(PluginContext{config, "cpu", 42}, [&](const std::string& w) { warnings.push_back(w); });
  const NetworkSpec a = test::shufflenet_like(), b = test::grouped_net(), c = test::mobilenet_like(32);
  std::vector<std::size_t> done;
  const auto outcomes = model.evaluate_batch({&a, &b, &c}, [&](std::size_t i) { done.push_back(i); });
  model.evaluate_batch({&a, &b, &c}, {});
  REQUIRE(outcomes.size() == 3);
  for (const auto& o : outcomes) {
    CHECK(o.error.empty());
    CHECK(o.metrics.at("latency_ms") > 0);
    CHECK(o.metrics.count("latency_ci_percent") == 1);
  }
  std::sort(done.begin(), done.end());
  CHECK(done == std::vector<std::size_t>{0, 1, 2});
  CHECK(warnings.size() == (model.noisy_measurements() > 0 ? 1u : 0u));
  if (!warnings.empty()) CHECK(warnings.front().rfind("measure 'cpu': the machine is too noisy", 0) == 0);
}

TEST_CASE("measure plugin reports a network it cannot build as that network's error, with the others measured") {
  const PluginConfig config = config_with({{"warmup", int64_t{1}}, {"repeats", int64_t{3}}, {"ci_target_percent", 0.0}});
  MeasureModel model(PluginContext{config, "cpu", 42});
  NetworkSpec bad = test::mobilenet_like(32);
  bad.layers.front().groups = 5;
  const NetworkSpec good = test::grouped_net();
  const auto outcomes = model.evaluate_batch({&bad, &good}, {});
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].error.rfind("measure: network 'mobilenet-like': ", 0) == 0);
  CHECK(outcomes[0].error.find("; fix: ") != std::string::npos);
  CHECK(outcomes[0].metrics.empty());
  CHECK(outcomes[1].error.empty());
  CHECK_THROWS_AS(model.evaluate(bad), EvaluationError);
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
