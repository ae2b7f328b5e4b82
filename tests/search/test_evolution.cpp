// SPOS evolution (nasctl::evolve::Spos) and the `evolution` plugin: it
// improves over iterations and beats random search on a synthetic problem,
// breeds only feasible parents, re-draws infeasible candidates, pre-filters
// on counted MACs, reports an unsatisfiable constraint in one line, supports a
// weighted sum, refuses bad settings, and is deterministic.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "../../plugins/search/evolution/evolution.hpp"
#include "nasctl/error.hpp"
#include "nasctl/evolve/spos.hpp"
#include "spos_test_support.hpp"

using namespace nasctl;
using search::evolution::EvolutionStrategy;
using test::error_of;
using test::make_strategy;

namespace {

int hamming(const Architecture& a, const Architecture& b) {
  int d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += a[i] != b[i];
  return d;
}

}  // namespace

TEST_CASE("evolution improves over iterations and beats random search at the same budget") {
  const test::ToySpace space(12);
  int wins = 0;
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    const Problem problem = test::toy_single(space, seed, 500);
    auto evo = make_strategy<EvolutionStrategy>();
    const auto run = test::run(*evo, problem, test::toy_metrics);
    REQUIRE(run.evaluated.size() == 500);
    const double first_iteration = test::best_objective(run.evaluated, 0, 50);
    const double after_five = test::best_objective(run.evaluated, 0, 300);
    const double final_best = test::best_objective(run.evaluated, 0, 500);
    CHECK(after_five < first_iteration);
    CHECK(final_best <= after_five);
    CHECK(evo->engine().iteration() >= 9);

    test::UniformRandom random;
    const auto baseline = test::run(random, problem, test::toy_metrics);
    wins += final_best < test::best_objective(baseline.evaluated, 0, 500);
  }
  CHECK(wins >= 4);
}

TEST_CASE("later iterations breed from the top-k: mutation children stay close to their parent") {
  const test::ToySpace space(12);
  evolve::SposOptions o;
  o.population = 10;
  o.parents = 1;
  o.mutations = 10;
  o.crossovers = 0;
  o.mutation_prob = 0.1;
  evolve::Spos engine(o);
  evolve::SposProblem p;
  p.space = &space;
  p.fitness = [](const Evaluation& e) { return e.objectives[0]; };
  engine.start(p);
  auto tell_all = [&](const std::vector<Architecture>& asks) {
    std::vector<Evaluation> results;
    for (const auto& a : asks) {
      Evaluation e;
      e.arch = a;
      e.metrics = test::toy_metrics(a);
      e.objectives = {e.metrics.at("toy.error")};
      results.push_back(e);
    }
    engine.tell(results);
  };
  tell_all(engine.ask(10));
  REQUIRE(engine.iteration() == 1);
  const Architecture parent = engine.best()->arch;
  const auto children = engine.ask(10);
  REQUIRE(children.size() == 10);
  double mean = 0.0;
  for (const auto& c : children) {
    CHECK(hamming(c, parent) >= 1);
    CHECK(hamming(c, parent) <= 6);
    mean += hamming(c, parent) / 10.0;
  }
  CHECK(mean < 3.5);  // about 0.1 x 12 variables changed, never zero
}

TEST_CASE("infeasible results never become parents and are replaced by new draws") {
  const test::ToySpace space(12);
  const std::vector<Constraint> limit{{"toy.cost", Bound::AtMost, 30.0}};
  const Problem problem = test::toy_single(space, 9, 400, limit);
  auto evo = make_strategy<EvolutionStrategy>();
  const auto run = test::run(*evo, problem, test::toy_metrics);
  for (const auto& m : evo->engine().top_k()) CHECK(test::toy_metrics(m.arch).at("toy.cost") <= 30.0);
  REQUIRE(evo->engine().best());
  CHECK(test::toy_metrics(evo->engine().best()->arch).at("toy.cost") <= 30.0);
  // Random architectures cost about 45 on average, so most of the first
  // iteration breaks the limit and is re-drawn (up to 3 times per slot);
  // later iterations, bred from feasible parents near the limit, break it
  // far less often.
  std::size_t first = 0, last = 0;
  for (std::size_t i = 0; i < 50; ++i) first += run.evaluated[i].feasible();
  for (std::size_t i = 300; i < 400; ++i) last += run.evaluated[i].feasible();
  CHECK(first < 15);
  CHECK(last > 35);
}

TEST_CASE("an unsatisfiable constraint stops the search with one line naming it, the closest value and the fix") {
  const test::ToySpace space(12);
  const std::vector<Constraint> impossible{{"toy.cost", Bound::AtMost, -1.0}};
  const Problem problem = test::toy_single(space, 3, 1000, impossible);
  auto evo = make_strategy<EvolutionStrategy>();
  std::size_t evaluated = 0;
  const std::string e = error_of([&] {
    test::run(*evo, problem, [&](const Architecture& a) {
      ++evaluated;
      return test::toy_metrics(a);
    });
  });
  CHECK(e.find("evolution: none of the 200 evaluated architectures meets 'toy.cost <= -1'") != std::string::npos);
  CHECK(e.find("closest value seen") != std::string::npos);
  CHECK(e.find("fix: relax the limit") != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  CHECK(evaluated == 200);  // population 50 x (1 + 3 re-draws), then it gives up
}

TEST_CASE("the pre-filter rejects candidates on counted MACs before they cost an evaluation") {
  const test::WidthSpace space(8);
  const auto metrics = [&](const Architecture& a) { return test::width_metrics(space, a); };
  Problem problem;
  problem.space = &space;
  problem.objectives = {{"q.score", Goal::Maximize}};
  problem.constraints = {{"hw.macs", Bound::AtMost, 6.0e6}};
  problem.seed = 4;
  problem.evaluation_budget = 300;
  auto evo = make_strategy<EvolutionStrategy>({{"prefilter", StringTable{{"hw.macs", "macs"}}}});
  const auto run = test::run(*evo, problem, metrics);
  CHECK(run.evaluated.size() == 300);
  for (const auto& e : run.evaluated) CHECK(e.metrics.at("hw.macs") <= 6.0e6);

  // Nothing meets the limit: refused before anything is evaluated.
  problem.constraints = {{"hw.macs", Bound::AtMost, 1000.0}};
  auto none = make_strategy<EvolutionStrategy>({{"prefilter", StringTable{{"hw.macs", "macs"}}}});
  std::string e = error_of([&] { test::run(*none, problem, metrics); });
  CHECK(e.find("no architecture of the space meets 'hw.macs <= 1000'") != std::string::npos);
  CHECK(e.find("pre-filter rejected all") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);

  // A mapping that is not the MAC count is caught on the first result.
  problem.constraints = {{"q.score", Bound::AtMost, 1e9}};
  auto wrong = make_strategy<EvolutionStrategy>({{"prefilter", StringTable{{"q.score", "macs"}}}});
  e = error_of([&] { test::run(*wrong, problem, metrics); });
  CHECK(e.find("the pre-filter computes q.score") != std::string::npos);

  // A pre-filter for a metric no constraint uses is a config error.
  auto stray = make_strategy<EvolutionStrategy>({{"prefilter", StringTable{{"hw.params", "params"}}}});
  e = error_of([&] { stray->start(problem); });
  CHECK(e.find("search.toml:3:1: key 'search.prefilter'") != std::string::npos);
  CHECK(e.find("which no [[constraints]] entry uses") != std::string::npos);
}

TEST_CASE("weights turn the objectives into one weighted sum, in minimisation form") {
  const test::ToySpace space(12);
  Problem problem = test::toy_problem(space, 5, 300);  // toy.cost, toy.error
  auto cost_only = make_strategy<EvolutionStrategy>({{"weights", std::vector<double>{1.0, 0.0}}});
  test::run(*cost_only, problem, test::toy_metrics);
  CHECK(test::toy_metrics(cost_only->engine().best()->arch).at("toy.cost") <= 2.0);  // 300 random samples: 10..22
  auto error_only = make_strategy<EvolutionStrategy>({{"weights", std::vector<double>{0.0, 1.0}}});
  test::run(*error_only, problem, test::toy_metrics);
  CHECK(test::toy_metrics(error_only->engine().best()->arch).at("toy.error") < 70.0 - 50.0);
  auto mixed = make_strategy<EvolutionStrategy>({{"weights", std::vector<double>{1.0, 2.0}}});
  test::run(*mixed, problem, test::toy_metrics);
  const auto m = test::toy_metrics(mixed->engine().best()->arch);
  CHECK(mixed->engine().best()->fitness == doctest::Approx(m.at("toy.cost") + 2.0 * m.at("toy.error")));
}

TEST_CASE("bad settings are refused in one line with the key and the fix") {
  const test::ToySpace space(12);
  const Problem problem = test::toy_problem(space, 1, 300);
  auto three = make_strategy<EvolutionStrategy>({{"weights", std::vector<double>{1.0, 1.0, 1.0}}});
  std::string e = error_of([&] { three->start(problem); });
  CHECK(e.find("key 'search.weights': has 3 weights for 2 objectives") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
  auto zeros = make_strategy<EvolutionStrategy>({{"weights", std::vector<double>{0.0, 0.0}}});
  CHECK(error_of([&] { zeros->start(problem); }).find("are all 0") != std::string::npos);
  auto big = make_strategy<EvolutionStrategy>({{"population", int64_t{80}}});
  e = error_of([&] { big->start(test::toy_problem(space, 1, 60)); });
  CHECK(e.find("key 'search.population': 80 is more than budget.evaluations = 60") != std::string::npos);
  CHECK(e.find("fix: lower search.population") != std::string::npos);
}

TEST_CASE("same seed, same proposals, another seed, other proposals") {
  const test::ToySpace space(12);
  const std::vector<Constraint> limit{{"toy.cost", Bound::AtMost, 25.0}};
  auto one = make_strategy<EvolutionStrategy>();
  auto two = make_strategy<EvolutionStrategy>();
  auto other = make_strategy<EvolutionStrategy>();
  const auto a = test::run(*one, test::toy_single(space, 8, 300, limit), test::toy_metrics, 7);
  const auto b = test::run(*two, test::toy_single(space, 8, 300, limit), test::toy_metrics, 7);
  const auto c = test::run(*other, test::toy_single(space, 9, 300, limit), test::toy_metrics, 7);
  CHECK(a.asked == b.asked);
  CHECK(a.asked != c.asked);
  // Nothing is proposed twice.
  std::set<Architecture> distinct(a.asked.begin(), a.asked.end());
  CHECK(distinct.size() == a.asked.size());
}
