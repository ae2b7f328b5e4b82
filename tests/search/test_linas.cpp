// LINAS on a toy problem with known objectives: a better front than random
// search for the same small budget, predictor-driven proposals that respect
// a constraint, the same asks for the same seed, and one clear line for a
// budget below the initial population and for metrics no predictor can learn.
#include <doctest/doctest.h>

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "../../plugins/search/linas/linas.hpp"
#include "nasctl/error.hpp"
#include "nasctl/predict/error.hpp"
#include "search_test_support.hpp"

using namespace nasctl;
using nasctl::search::linas::Linas;
using nasctl::search::linas::LinasOptions;

namespace {

LinasOptions small_linas(const std::string& model = "auto") {
  LinasOptions o;
  o.population = 20;
  o.inner_evaluations = 2000;
  o.model = search::linas::model_choice(model);
  return o;
}

// Worse than every toy network in both objectives (cost <= 90, error <= 70).
const std::vector<double> kReference{91.0, 71.0};

struct Quiet {
  Quiet() { spdlog::set_level(spdlog::level::warn); }
  ~Quiet() { spdlog::set_level(spdlog::level::info); }
};

}  // namespace

TEST_CASE("linas finds a front with clearly more hypervolume than random search at the same small budget") {
  const Quiet quiet;
  const test::ToySpace space;
  constexpr std::size_t kBudget = 100;
  double linas_sum = 0.0, random_sum = 0.0, linas_worst = INFINITY, random_best = 0.0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const Problem problem = test::toy_problem(space, seed, kBudget);
    Linas linas(small_linas());
    const test::RunRecord l = test::run(linas, problem, test::toy_metrics);
    test::UniformRandom random;
    const test::RunRecord r = test::run(random, problem, test::toy_metrics, 20);
    REQUIRE(l.evaluated.size() == kBudget);
    REQUIRE(r.evaluated.size() == kBudget);
    const double hv_linas = test::hypervolume(l.evaluated, kReference);
    const double hv_random = test::hypervolume(r.evaluated, kReference);
    MESSAGE("seed " << seed << ": hypervolume after " << kBudget << " evaluations: linas " << hv_linas << ", random "
                    << hv_random);
    linas_sum += hv_linas;
    random_sum += hv_random;
    linas_worst = std::min(linas_worst, hv_linas);
    random_best = std::max(random_best, hv_random);
    CHECK(linas.iterations().size() == 4);  // 20 random, then 4 predictor-driven batches of 20
  }
  CHECK(linas_sum / 5 > 1.05 * random_sum / 5);
  CHECK(linas_worst > random_best);
}

TEST_CASE("linas proposes only networks not measured before and fills each iteration to the population") {
  const Quiet quiet;
  const test::ToySpace space;
  Linas linas(small_linas("ridge"));
  const test::RunRecord r = test::run(linas, test::toy_problem(space, 7, 100), test::toy_metrics);
  CHECK(r.asked.size() == 100);  // no repeats were asked: each ask cost budget
  for (const auto& it : linas.iterations()) {
    CHECK(it.from_inner + it.random_fill == 20);
    CHECK(it.inner_evaluations >= 2000);
    CHECK(it.inner_evaluations < 2000 + 20);  // whole generations of 20
  }
  CHECK(linas.measurements().size() == 100);
}

TEST_CASE("linas with a predicted constraint proposes mostly feasible networks once its predictors are trained") {
  const Quiet quiet;
  const test::ToySpace space;
  // cost <= 30: about one random network in ten satisfies it.
  const std::vector<Constraint> constraints{{"toy.cost", Bound::AtMost, 30.0}};
  std::size_t linas_feasible = 0, random_feasible = 0, linas_later = 0;
  for (uint64_t seed = 11; seed <= 13; ++seed) {
    const Problem problem = test::toy_problem(space, seed, 100, constraints);
    Linas linas(small_linas());
    const test::RunRecord l = test::run(linas, problem, test::toy_metrics);
    test::UniformRandom random;
    const test::RunRecord r = test::run(random, problem, test::toy_metrics, 20);
    for (std::size_t i = 20; i < l.evaluated.size(); ++i) {
      linas_later += 1;
      linas_feasible += l.evaluated[i].feasible() ? 1 : 0;
    }
    for (std::size_t i = 20; i < r.evaluated.size(); ++i) random_feasible += r.evaluated[i].feasible() ? 1 : 0;
  }
  MESSAGE("feasible among the 240 networks measured after the random start: linas " << linas_feasible << ", random "
                                                                                      << random_feasible);
  CHECK(linas_feasible > linas_later * 3 / 4);
  CHECK(linas_feasible > 3 * random_feasible);
}

TEST_CASE("linas asks the same networks for the same seed and results, and other networks for another seed") {
  const Quiet quiet;
  const test::ToySpace space;
  Linas a(small_linas()), b(small_linas()), c(small_linas());
  const test::RunRecord ra = test::run(a, test::toy_problem(space, 42, 80), test::toy_metrics);
  const test::RunRecord rb = test::run(b, test::toy_problem(space, 42, 80), test::toy_metrics, 7);
  const test::RunRecord rc = test::run(c, test::toy_problem(space, 43, 80), test::toy_metrics);
  REQUIRE(ra.asked.size() == 80);
  CHECK(ra.asked == rb.asked);  // asks handed out in pieces of 7 do not change what is proposed
  CHECK(ra.asked != rc.asked);
}

TEST_CASE("inner search seeds differ per iteration and per run seed, and repeat for the same pair") {
  CHECK(search::linas::inner_seed(42, 1) == search::linas::inner_seed(42, 1));
  CHECK(search::linas::inner_seed(42, 1) != search::linas::inner_seed(42, 2));
  CHECK(search::linas::inner_seed(42, 1) != search::linas::inner_seed(43, 1));
}

TEST_CASE("linas refuses a budget smaller than its initial population with the key and a fix") {
  const test::ToySpace space;
  const PluginConfig config = test::make_config(search::linas::config_keys(), {{"population", int64_t{50}}});
  Linas linas(search::linas::options_from(config));
  CHECK_THROWS_WITH_AS(linas.start(test::toy_problem(space, 1, 30)),
                       "search.toml:3:1: key 'search.population': the initial random population of 50 exceeds the "
                       "evaluation budget of 30, so no predictor would ever be trained; fix: raise the budget to a "
                       "few populations (e.g. 250) or lower search.population",
                       ConfigError);
  CHECK_NOTHROW(linas.start(test::toy_problem(space, 1, 0)));  // bounded by time only
}

TEST_CASE("linas refuses a population too small for its cross-validation folds") {
  const test::ToySpace space;
  const PluginConfig config =
      test::make_config(search::linas::config_keys(), {{"population", int64_t{8}}, {"folds", int64_t{8}}});
  Linas linas(search::linas::options_from(config));
  CHECK_THROWS_WITH_AS(linas.start(test::toy_problem(space, 1, 100)),
                       doctest::Contains("key 'search.population': a population of 8 is too small to fit the 'auto' "
                                         "predictors with 8 cross-validation folds, which need 10 measured networks"),
                       ConfigError);
}

TEST_CASE("linas reads its keys with DyNAS-T's defaults") {
  const LinasOptions o = search::linas::options_from(test::make_config(search::linas::config_keys(), {}));
  CHECK(o.population == 50);
  CHECK(o.inner_evaluations == 20000);
  CHECK(o.model == search::linas::ModelChoice::Auto);
  CHECK(o.folds == 5);
  const LinasOptions ridge = search::linas::options_from(test::make_config(search::linas::config_keys(), {{"model", "ridge"}}));
  CHECK(ridge.model == search::linas::ModelChoice::Ridge);
  CHECK(Linas(o).preferred_batch() == 50);
}

TEST_CASE("linas stops with the metric's name when an objective is constant over every measured network") {
  const Quiet quiet;
  const test::ToySpace space;
  Problem problem = test::toy_problem(space, 3, 60);
  problem.objectives.push_back({"toy.flat", Goal::Maximize});
  const auto flat = [](const Architecture& a) {
    Metrics m = test::toy_metrics(a);
    m["toy.flat"] = 1.0;
    return m;
  };
  Linas linas(small_linas());
  CHECK_THROWS_WITH_AS(test::run(linas, problem, flat),
                       doctest::Contains("linas: cannot fit the predictor of objective 'toy.flat' on the 20 "
                                         "architectures measured so far (model selection: all 20 targets equal -1;"),
                       predict::PredictError);
}

TEST_CASE("linas stops with the metric's name when a result lacks a constrained metric") {
  const test::ToySpace space;
  const Problem problem = test::toy_problem(space, 3, 60, {{"hw.latency_ms", Bound::AtMost, 5.0}});
  Linas linas(small_linas());
  linas.start(problem);
  const std::vector<Architecture> asks = linas.ask(1);
  Evaluation e;
  e.arch = asks.front();
  e.metrics = test::toy_metrics(e.arch);
  e.objectives = {e.metrics.at("toy.cost"), e.metrics.at("toy.error")};
  CHECK_THROWS_WITH_AS(linas.tell({e}),
                       doctest::Contains("has no metric 'hw.latency_ms', which a constraint bounds; fix:"),
                       EvaluationError);
}
