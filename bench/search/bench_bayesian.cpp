// Bayesian optimisation on the OFA MobileNetV3 space with two objectives:
// top-1 accuracy (maximised) from a cross-validated ridge predictor fitted on
// every measured ImageNet row in data/ofa_mbv3_w10_imagenet, and MACs
// (minimised) counted from the lowered network (count_cost).
//
// BM_BayesianProposalStep: one ask(5) with 200 observations (random
//   architectures), GP fits included. Target: <= 2 s on one CPU core.
// BM_BayesianOfaHypervolume/seed: a whole run of 100 evaluations (10 random,
//   then 18 asks of 5), hypervolume in (MACs in millions, top-1 %) against
//   the reference (700, 70), and random search's at the same budget.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>

#include "../../plugins/search/bayesian/bayesian.hpp"
#include "../../plugins/spaces/ofa-mobilenetv3/ofa_mobilenetv3.hpp"
#include "nasctl/moo/hypervolume.hpp"
#include "nasctl/network_spec.hpp"
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

PluginConfig space_config() {
  std::map<std::string, PluginConfig::Entry> entries;
  for (const auto& key : spaces::ofa_mobilenetv3::OfaMobileNetV3::config_keys()) entries[key.name] = {key.default_value, "default"};
  return PluginConfig("space", "", "", entries);
}

// The problem: the space, the accuracy predictor, and the two objectives.
struct OfaProblem {
  PluginConfig config;
  spaces::ofa_mobilenetv3::OfaMobileNetV3 space;
  predict::RidgeCV accuracy;
  Problem problem;

  OfaProblem() : config(space_config()), space(PluginContext{config, "ofa"}) {
    const predict::MetricTable raw = predict::read_metric_table(ofa_files(), predict::TableColumns{});
    const predict::ArchitectureTable table(raw, space);
    predict::FeatureRows x;
    for (const auto& e : table.entries()) x.push_back(space.encode(e.arch));
    accuracy.fit(x, table.values(0));
    problem.space = &space;
    problem.objectives = {{"acc.top1", Goal::Maximize}, {"cost.macs", Goal::Minimize}};
    problem.seed = 1;
  }

  std::vector<Evaluation> evaluate(const std::vector<Architecture>& archs) const {
    std::vector<Evaluation> out;
    for (const auto& arch : archs) {
      Evaluation e;
      e.arch = arch;
      e.metrics["acc.top1"] = accuracy.predict_one(space.encode(arch));
      e.metrics["cost.macs"] = static_cast<double>(count_cost(space.lower(arch)).macs);
      for (const auto& o : problem.objectives) e.objectives.push_back(o.to_minimized(e.metrics.at(o.metric)));
      out.push_back(std::move(e));
    }
    return out;
  }

  // Hypervolume in (MACs in millions, top-1 %), reference (700, 70).
  static double hypervolume(const std::vector<Evaluation>& results) {
    moo::Points points;
    for (const auto& r : results) points.push_back({r.metrics.at("cost.macs") / 1e6, -r.metrics.at("acc.top1")});
    return moo::hypervolume(points, {700.0, -70.0});
  }
};

const OfaProblem& ofa() {
  static const OfaProblem data;
  return data;
}

void BM_BayesianProposalStep(benchmark::State& state) {
  const OfaProblem& p = ofa();
  const auto observations = static_cast<std::size_t>(state.range(0));
  const auto batch = static_cast<std::size_t>(state.range(1));
  search::bayesian::BayesianOptions options;
  options.initial = observations;  // the random design supplies all observations
  search::bayesian::BayesianOptimisation base(options);
  base.start(p.problem);
  base.tell(p.evaluate(base.ask(observations)));
  double fit = 0.0, search = 0.0;
  for (auto _ : state) {
    search::bayesian::BayesianOptimisation bo = base;
    const auto asks = bo.ask(batch);
    if (asks.size() != batch || !bo.last_step().model) state.SkipWithError("the step did not propose a model-based batch");
    fit += bo.last_step().fit_seconds;
    search += bo.last_step().search_seconds;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["observations"] = static_cast<double>(observations);
  state.counters["batch"] = static_cast<double>(batch);
  state.counters["gp_fit_s"] = fit / n;
  state.counters["acquisition_s"] = search / n;
}
BENCHMARK(BM_BayesianProposalStep)->Args({100, 5})->Args({200, 5})->Args({400, 5})->Unit(benchmark::kMillisecond)->MinTime(5.0);

void BM_BayesianOfaHypervolume(benchmark::State& state) {
  const OfaProblem& p = ofa();
  const std::size_t budget = 100;
  Problem problem = p.problem;
  problem.seed = static_cast<uint64_t>(state.range(0));
  double bo_hv = 0.0, random_hv = 0.0;
  for (auto _ : state) {
    search::bayesian::BayesianOptimisation bo(search::bayesian::BayesianOptions{});
    bo.start(problem);
    std::vector<Evaluation> all;
    while (all.size() < budget) {
      const auto results = p.evaluate(bo.ask(std::min<std::size_t>(5, budget - all.size())));
      if (results.empty()) break;
      bo.tell(results);
      all.insert(all.end(), results.begin(), results.end());
    }
    bo_hv = OfaProblem::hypervolume(all);
    Rng rng(problem.seed);
    std::vector<Architecture> random;
    for (std::size_t i = 0; i < budget; ++i) random.push_back(p.space.sample(rng));
    random_hv = OfaProblem::hypervolume(p.evaluate(random));
  }
  state.counters["hv_bayesian"] = bo_hv;
  state.counters["hv_random"] = random_hv;
}
BENCHMARK(BM_BayesianOfaHypervolume)->DenseRange(1, 5)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
