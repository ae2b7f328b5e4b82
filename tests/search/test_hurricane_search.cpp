// HURRICANE's two-stage search (plugins/search/hurricane): each stage changes
// only its group of variables, stage 2 starts from stage 1's best and keeps
// the other group fixed to it, the budget is split as configured, constraints
// hold, the result improves on stage 1, bad settings are refused in one line,
// and runs are deterministic.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../../plugins/search/hurricane/two_stage.hpp"
#include "nasctl/error.hpp"
#include "nasctl/subspace.hpp"
#include "spos_test_support.hpp"

using namespace nasctl;
using search::hurricane::TwoStageSearch;
using test::error_of;
using test::make_strategy;

namespace {

bool same_on(const Architecture& a, const Architecture& b, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("stage 1 searches only the early layers, stage 2 only the late ones with the early ones fixed to stage 1's best") {
  const test::ToySpace space(12);
  const Problem problem = test::toy_single(space, 3, 200);
  auto s = make_strategy<TwoStageSearch>({{"population", int64_t{20}}, {"parents", int64_t{5}},
                                          {"mutations", int64_t{10}}, {"crossovers", int64_t{10}}});
  const auto run = test::run(*s, problem, test::toy_metrics);
  REQUIRE(run.evaluated.size() == 200);
  CHECK(s->split() == 6);
  CHECK(s->stage_budget(1) == 100);
  CHECK(s->stage_budget(2) == 100);
  CHECK(s->stage() == 3);
  const Architecture zeros(12, 0);
  // The first 100 evaluations belong to stage 1: late group at its defaults.
  for (std::size_t i = 0; i < 100; ++i) CHECK(same_on(run.evaluated[i].arch, zeros, 6, 12));
  const bool early_varies = std::any_of(run.evaluated.begin(), run.evaluated.begin() + 100,
                                        [&](const Evaluation& e) { return !same_on(e.arch, zeros, 0, 6); });
  CHECK(early_varies);
  // Stage 1's best: the best of those 100.
  std::size_t best = 0;
  for (std::size_t i = 1; i < 100; ++i) {
    if (run.evaluated[i].objectives[0] < run.evaluated[best].objectives[0]) best = i;
  }
  const Architecture stage1_best = run.evaluated[best].arch;
  CHECK(s->base() == stage1_best);
  // Stage 2 keeps the early group of stage 1's best and searches the late one.
  for (std::size_t i = 100; i < 200; ++i) CHECK(same_on(run.evaluated[i].arch, stage1_best, 0, 6));
  const bool late_varies = std::any_of(run.evaluated.begin() + 100, run.evaluated.end(),
                                       [&](const Evaluation& e) { return !same_on(e.arch, stage1_best, 6, 12); });
  CHECK(late_varies);
  // Stage 2 starts from stage 1's best (answered as known), so it can only improve.
  const double stage1 = test::best_objective(run.evaluated, 0, 100);
  const double overall = test::best_objective(run.evaluated, 0, 200);
  CHECK(overall < stage1);
  CHECK(s->engine().best()->fitness == overall);
}

TEST_CASE("late-first order, a custom split and stage share, and fewest-MAC defaults for the fixed group") {
  const test::WidthSpace space(8);
  Problem problem;
  problem.space = &space;
  problem.objectives = {{"q.score", Goal::Maximize}};
  problem.seed = 2;
  problem.evaluation_budget = 100;
  auto s = make_strategy<TwoStageSearch>({{"order", std::string("late-first")},
                                          {"split", int64_t{3}},
                                          {"stage1_fraction", 0.3},
                                          {"fixed", std::string("fewest-macs")},
                                          {"population", int64_t{20}}});
  s->start(problem);
  CHECK(s->stage_budget(1) == 30);
  CHECK(s->stage_budget(2) == 70);
  // Width choices are {32, 8, 24, 16}: the fewest MACs is choice 1 everywhere.
  CHECK(s->defaults() == Architecture(8, 1));
  const std::vector<bool> late{false, false, false, true, true, true, true, true};
  CHECK(s->searchable() == late);
  const auto asks = s->ask(20);
  for (const auto& a : asks) CHECK(same_on(a, Architecture(8, 1), 0, 3));
}

TEST_CASE("both stages keep to the constraints: parents and the result are feasible") {
  const test::ToySpace space(12);
  const std::vector<Constraint> limit{{"toy.cost", Bound::AtMost, 12.0}};
  const Problem problem = test::toy_single(space, 6, 300, limit);
  auto s = make_strategy<TwoStageSearch>({{"population", int64_t{30}}});
  test::run(*s, problem, test::toy_metrics);
  REQUIRE(s->engine().best());
  for (const auto& m : s->engine().top_k()) CHECK(test::toy_metrics(m.arch).at("toy.cost") <= 12.0);
  CHECK(test::toy_metrics(s->base()).at("toy.cost") <= 12.0);  // stage 1's best
}

TEST_CASE("an unsatisfiable constraint in stage 1 stops the search with the stage named") {
  const test::ToySpace space(12);
  const std::vector<Constraint> impossible{{"toy.cost", Bound::AtMost, -5.0}};
  auto s = make_strategy<TwoStageSearch>({{"population", int64_t{10}}, {"redraws", int64_t{1}}});
  const std::string e = error_of([&] { test::run(*s, test::toy_single(space, 1, 400, impossible), test::toy_metrics); });
  CHECK(e.find("hurricane stage 1: none of the 20 evaluated architectures meets 'toy.cost <= -5'") != std::string::npos);
  CHECK(e.find("fix:") != std::string::npos);
}

TEST_CASE("bad two-stage settings are refused in one line with the key and the fix") {
  const test::ToySpace space(12);
  auto start = [&](const std::map<std::string, ConfigValue>& given, std::size_t budget) {
    auto s = make_strategy<TwoStageSearch>(given);
    return error_of([&] { s->start(test::toy_single(space, 1, budget)); });
  };
  std::string e = start({}, 0);
  CHECK(e.find("splits budget.evaluations between its stages, but the config sets none") != std::string::npos);
  e = start({{"split", int64_t{12}}}, 200);
  CHECK(e.find("key 'search.split': is 12 but the space has 12 variables") != std::string::npos);
  CHECK(e.find("fix: use 1..11") != std::string::npos);
  e = start({{"stage1_fraction", 1.0}}, 200);
  CHECK(e.find("key 'search.stage1_fraction': gives stage 1 200 of the 200 evaluations") != std::string::npos);
  e = start({}, 80);
  CHECK(e.find("key 'search.population': 50 is more than the 40 evaluations of a stage") != std::string::npos);
  e = start({{"weights", std::vector<double>{1.0, 2.0}}}, 200);
  CHECK(e.find("has 2 weights for 1 objectives") != std::string::npos);
}

TEST_CASE("the two-stage search is deterministic for a seed") {
  const test::ToySpace space(12);
  auto a = make_strategy<TwoStageSearch>({{"population", int64_t{20}}});
  auto b = make_strategy<TwoStageSearch>({{"population", int64_t{20}}});
  const auto ra = test::run(*a, test::toy_single(space, 4, 160), test::toy_metrics, 9);
  const auto rb = test::run(*b, test::toy_single(space, 4, 160), test::toy_metrics, 9);
  CHECK(ra.asked == rb.asked);
  CHECK(a->base() == b->base());
}

TEST_CASE("each stage announces its sub-space: the searched group, the others' choices and its training epochs") {
  const test::ToySpace space(12);
  const Problem problem = test::toy_single(space, 3, 80);
  auto s = make_strategy<TwoStageSearch>({{"population", int64_t{20}},
                                          {"stage1_epochs", int64_t{3}},
                                          {"stage2_epochs", int64_t{1}}});
  const StagedSearch& staged = *s;
  CHECK(staged.current_subspace() == nullptr);  // not started
  s->start(problem);
  const SubSpace* one = staged.current_subspace();
  REQUIRE(one != nullptr);
  CHECK(one->name == "stage1");
  CHECK(one->train_epochs == 3);
  CHECK(one->base == Architecture(12, 0));
  for (std::size_t v = 0; v < 12; ++v) CHECK(one->searchable[v] == (v < 6));
  // Run stage 1 to its end: stage 2 fixes the early group at stage 1's best.
  while (s->stage() == 1) {
    const std::vector<Architecture> asks = s->ask(20);
    std::vector<Evaluation> told;
    for (const Architecture& a : asks) {
      Evaluation e;
      e.arch = a;
      e.metrics = test::toy_metrics(a);
      for (const auto& o : problem.objectives) e.objectives.push_back(o.to_minimized(e.metrics.at(o.metric)));
      told.push_back(std::move(e));
    }
    s->tell(told);
  }
  const SubSpace* two = staged.current_subspace();
  REQUIRE(two != nullptr);
  CHECK(two->name == "stage2");
  CHECK(two->train_epochs == 1);
  CHECK(two->base == s->base());
  for (std::size_t v = 0; v < 12; ++v) CHECK(two->searchable[v] == (v >= 6));
}
