// The "predictor" accuracy source: fits ridge on a table once, on first use,
// predicts architectures the table does not hold, reports its CV quality in
// conditions(), and turns unlearnable tables into clear errors.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../../plugins/accuracy/predictor/predictor_source.hpp"
#include "nasctl/error.hpp"
#include "test_support.hpp"
#include "tiny_space.hpp"

using namespace nasctl;
using nasctl::accuracy::predictor::PredictorSource;

namespace {

// Accuracy additive in the choices, i.e. linear in the one-hot encoding, so
// ridge with a small penalty must recover it. With d = 1 the canonical k1 is
// its first choice, whose effect is 0: consistent with the network.
double true_accuracy(const Architecture& a) {
  const double k0[] = {0.0, 1.0, 1.8}, k1[] = {0.0, 0.6, 0.9}, e[] = {0.0, 0.5, 1.2}, d[] = {0.0, 0.7};
  return 70.0 + k0[a[0]] + k1[a[1]] + e[a[2]] + d[a[3]];
}

struct Fixture {
  test::ScratchDir dir;
  test::TinySpace space;
  std::vector<Architecture> train, held_out;

  // Writes every architecture but each sixth one (held out) as a table with
  // an accuracy, a MAC-like count and a latency column that was never measured.
  Fixture() {
    std::ostringstream csv;
    csv << "Sub-network,Top-1 Acc (%),MACs,Latency (ms)\n";
    const auto all = space.all();
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (i % 6 == 5) {
        held_out.push_back(all[i]);
        continue;
      }
      train.push_back(all[i]);
      csv << space.to_string(all[i]) << ',' << true_accuracy(all[i]) << ',' << 100 + 10 * all[i][2] << ",0\n";
    }
    dir.write("table.csv", csv.str());
  }

  PluginConfig config(std::map<std::string, ConfigValue> given) const {
    if (!given.count("files")) given["files"] = std::vector<std::string>{"table.csv"};
    return test::make_config(PredictorSource::config_keys(), given, dir.path());
  }
  double predict(PredictorSource& source, const Architecture& arch, const std::string& metric = "top1_pred") const {
    const test::CandidateHolder c(space, arch);
    return source.evaluate(c.candidate).at(metric);
  }
};

}  // namespace

TEST_CASE("predictor source names its metrics after the columns with _pred, before any fit") {
  Fixture f;
  const PluginConfig config = f.config({{"columns", StringTable{{"top1", "Top-1 Acc (%)"}, {"macs", "MACs"}}}});
  const PredictorSource source(PluginContext{config, "acc"});
  const auto metrics = source.metrics();
  REQUIRE(metrics.size() == 2);
  CHECK(metrics[0].name == "macs_pred");
  CHECK(metrics[1].name == "top1_pred");
  CHECK(metrics[1].unit == "%");
  CHECK(source.models().empty());
  CHECK(source.conditions().count("top1_pred.cv_kendall_tau") == 0);
}

TEST_CASE("predictor source predicts architectures absent from its table from an additive accuracy model") {
  Fixture f;
  const PluginConfig config = f.config({});
  PredictorSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  REQUIRE(f.held_out.size() == 6);
  for (const auto& arch : f.held_out) {
    CAPTURE(f.space.to_string(arch));
    CHECK(f.predict(source, arch) == doctest::Approx(true_accuracy(arch)).epsilon(1e-3));
  }
  for (const auto& arch : f.train) CHECK(f.predict(source, arch) == doctest::Approx(true_accuracy(arch)).epsilon(1e-3));
}

TEST_CASE("predictor source reports its cross-validated quality in conditions after the fit") {
  Fixture f;
  const PluginConfig config = f.config({{"folds", int64_t{3}}, {"seed", int64_t{7}}});
  PredictorSource source(PluginContext{config, "acc"});
  source.prepare(f.space);
  f.predict(source, f.held_out.front());
  const Conditions c = source.conditions();
  CHECK(c.at("folds") == "3");
  CHECK(c.at("seed") == "7");
  CHECK(c.at("architectures") == std::to_string(f.train.size()));
  CHECK(std::stod(c.at("top1_pred.cv_kendall_tau")) > 0.99);
  CHECK(std::stod(c.at("top1_pred.cv_mape_percent")) < 0.01);
  CHECK(std::stod(c.at("top1_pred.lambda")) <= 1e-2);
  REQUIRE(source.models().size() == 1);
  CHECK(source.models()[0]->report().cv.folds == 3);
}

TEST_CASE("a column that was never measured fails the fit with the metric, column and reason") {
  Fixture f;
  const PluginConfig config = f.config({{"columns", StringTable{{"latency", "Latency (ms)"}}}});
  PredictorSource source(PluginContext{config, "acc"});
  CHECK_THROWS_WITH_AS(source.prepare(f.space),
                       test::contains("predictor 'acc': metric 'latency_pred' (column 'Latency (ms)' of " +
                                      f.dir.path() + "/table.csv): ridge_cv: all 30 targets equal 0"),
                       DataError);
}

TEST_CASE("a table with fewer architectures than folds fails the fit and says how many are needed") {
  Fixture f;
  f.dir.write("small.csv",
              "Sub-network,Top-1 Acc (%)\nk0=3;k1=3;e=3;d=2,70\nk0=5;k1=3;e=3;d=2,71\nk0=7;k1=3;e=3;d=2,72\n");
  const PluginConfig config = f.config({{"files", std::vector<std::string>{"small.csv"}}});
  PredictorSource source(PluginContext{config, "acc"});
  CHECK_THROWS_WITH_AS(source.prepare(f.space),
                       test::contains("ridge_cv: 3 samples, needs at least 5; fix:"), DataError);
}

TEST_CASE("predictor source, once fitted, predicts consistently when many threads evaluate at once") {
  Fixture f;
  const PluginConfig config = f.config({});
  PredictorSource concurrent(PluginContext{config, "acc"});
  PredictorSource sequential(PluginContext{config, "acc"});
  concurrent.prepare(f.space);
  sequential.prepare(f.space);
  std::vector<double> got(f.held_out.size() * 3, 0.0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] { got[t] = f.predict(concurrent, f.held_out[t % f.held_out.size()]); });
  for (auto& th : threads) th.join();
  CHECK(concurrent.models().size() == 1);
  for (std::size_t t = 0; t < got.size(); ++t)
    CHECK(got[t] == f.predict(sequential, f.held_out[t % f.held_out.size()]));
}
