// `nasctl pick`'s rules on a front worked out by hand: the knee point, the
// best of one metric, --where bounds, and the errors a person can cause.
//
// Objectives: acc (max), lat (min). Evaluations (acc, lat, params):
//   #0 (70,  5, 3)   #1 (75,  8, 4)   #2 (76, 20, 6)   #3 (60, 4, 2)
//   #4 (74,  9, 1) dominated by #1     #5 (80, 50, 9) infeasible
// Front: #3, #0, #1, #2. Normalised over the front (0 = best):
//   acc: (76 - acc) / 16, lat: (lat - 4) / 16, knee score 1 - sum:
//   #3: 1 - (1 + 0) = 0; #0: 1 - (6 + 1)/16 = 0.5625; #1: 1 - (1 + 4)/16 =
//   0.6875; #2: 1 - (0 + 1) = 0. The knee is #1.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <stdexcept>

#include "nasctl/error.hpp"
#include "nasctl/moo/knee.hpp"
#include "nasctl/report/pick.hpp"
#include "nasctl/report/where.hpp"

using namespace nasctl::report;

namespace {

RunFolder hand_built_run() {
  RunFolder run;
  run.dir = "hand-built";
  run.metrics = {"acc", "lat", "params"};
  run.objectives = {{"acc", true}, {"lat", false}};
  const double rows[][3] = {{70, 5, 3}, {75, 8, 4}, {76, 20, 6}, {60, 4, 2}, {74, 9, 1}, {80, 50, 9}};
  for (std::size_t i = 0; i < 6; ++i) {
    Evaluation e;
    e.index = i;
    e.arch = "net" + std::to_string(i);
    e.values = {rows[i][0], rows[i][1], rows[i][2]};
    e.feasible = i != 5;
    e.violation = i == 5 ? 1.0 : 0.0;
    run.evaluations.push_back(e);
  }
  return run;
}

std::size_t picked(const RunFolder& run, const PickRequest& request) { return run.evaluations[pick(run, request).position].index; }

PickRequest where(const RunFolder& run, std::initializer_list<const char*> texts, const std::string& best = "") {
  PickRequest r = best.empty() ? PickRequest{} : best_request(run, best);
  for (const char* t : texts) r.where.push_back(parse_condition(t, run.metrics));
  return r;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nasctl::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("knee_point: the point farthest beyond the line through the normalised extremes") {
  // Minimisation form of the front above: (-acc, lat).
  CHECK(nasctl::moo::knee_point({{-60, 4}, {-70, 5}, {-75, 8}, {-76, 20}}) == 2);
  // Three objectives: the hyperplane through the unit points; (0.1, 0.2, 0.3) is the only one below it by 0.4.
  CHECK(nasctl::moo::knee_point({{1, 0, 0}, {0, 1, 0}, {0.1, 0.2, 0.3}, {0, 0, 1}}) == 2);
  CHECK(nasctl::moo::knee_point({{5, 5}}) == 0);
  CHECK_THROWS_AS(nasctl::moo::knee_point({}), std::invalid_argument);
  CHECK_THROWS_AS(nasctl::moo::knee_point({{1, NAN}}), std::invalid_argument);
}

TEST_CASE("pick without a preference takes the knee of the feasible front") {
  const RunFolder run = hand_built_run();
  const PickResult r = pick(run, {});
  CHECK(run.evaluations[r.position].index == 1);
  CHECK(r.candidates == 5);
  CHECK(r.front_size == 4);
  CHECK(r.rule == "knee point");
}

TEST_CASE("--where bounds the candidates, and the knee is taken on what is left") {
  const RunFolder run = hand_built_run();
  // #0, #1, #3 remain; acc over [60, 75], lat over [4, 8]: #0 scores 1 - (5/15 + 1/4) > 0, the others 0.
  CHECK(picked(run, where(run, {"lat<=8.5"})) == 0);
  CHECK(picked(run, where(run, {"lat <= 8.5", "acc >= 60"})) == 0);
  // A bound on a metric that is no objective: only #4 is left, which the run's own front leaves out (#1 dominates it).
  CHECK(picked(run, where(run, {"params<3.5", "acc>=74"})) == 4);
}

TEST_CASE("--best takes the best value of one metric, in its objective's direction or as asked") {
  const RunFolder run = hand_built_run();
  CHECK(picked(run, where(run, {}, "acc")) == 2);
  CHECK(picked(run, where(run, {"lat<=8.5"}, "acc")) == 1);
  CHECK(picked(run, where(run, {}, "lat")) == 3);
  CHECK(picked(run, where(run, {}, "min:params")) == 4);
  CHECK(picked(run, where(run, {}, "max:params")) == 2);  // #5 has more but is infeasible
  CHECK(pick(run, best_request(run, "acc")).rule == "largest acc");
}

TEST_CASE("--where that does not parse, or names an unknown metric: one message with the fix") {
  const RunFolder run = hand_built_run();
  CHECK(error_of([&] { parse_condition("lat", run.metrics); }) ==
        "--where 'lat': no comparison (<=, <, >=, >, ==); fix: write METRIC OP NUMBER with OP one of <=, <, >=, >, ==, "
        "e.g. --where 'cpu.latency_ms<=10'");
  CHECK(error_of([&] { parse_condition("lat<=ten", run.metrics); }).find("'ten' is not a number") != std::string::npos);
  CHECK(error_of([&] { parse_condition("lat=3", run.metrics); }).find("'=' alone is not a comparison") != std::string::npos);
  CHECK(error_of([&] { parse_condition("<=3", run.metrics); }).find("no metric before") != std::string::npos);
  CHECK(error_of([&] { parse_condition("1<lat<3", run.metrics); }).find("--where '1<lat<3'") != std::string::npos);
  CHECK(error_of([&] { parse_condition("lag<=3", run.metrics); }) ==
        "--where 'lag<=3': the run has no metric 'lag'; did you mean 'lat'?; fix: name one of its metrics: acc, lat, params");
  const Condition c = parse_condition(" lat >= 2.5e1 ", run.metrics);
  CHECK(c.metric == "lat");
  CHECK(c.op == Condition::Op::AtLeast);
  CHECK(c.value == 25.0);
  CHECK_FALSE(c.holds(NAN));
}

TEST_CASE("--best of an unknown metric or of a metric without a direction is refused") {
  const RunFolder run = hand_built_run();
  CHECK(error_of([&] { best_request(run, "acx"); }).find("the run has no metric 'acx'; did you mean 'acc'?") != std::string::npos);
  CHECK(error_of([&] { best_request(run, "params"); }).find("fix: write --best max:params or --best min:params") !=
        std::string::npos);
}

TEST_CASE("an empty selection says how close the run came to each bound") {
  const RunFolder run = hand_built_run();
  CHECK(error_of([&] { pick(run, where(run, {"lat<=1", "acc>0"})); }) ==
        "hand-built: none of the 5 feasible evaluations satisfies every --where: lat<=1 (feasible values 4 .. 20), acc>0 "
        "(feasible values 60 .. 76); fix: relax --where");
}
