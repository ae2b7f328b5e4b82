#include "nasctl/report/pick.hpp"

#include <algorithm>
#include <cmath>

#include "nasctl/error.hpp"
#include "nasctl/moo/knee.hpp"
#include "nasctl/moo/sorting.hpp"
#include "nasctl/report/plots.hpp"
#include "nasctl/runtime/did_you_mean.hpp"

namespace nasctl::report {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// "cpu.latency_ms<=10 (smallest feasible: 12.5)": why nothing was left.
std::string closest(const RunFolder& run, const Condition& c) {
  const std::size_t column = run.metric_column(c.metric);
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& e : run.evaluations) {
    if (!e.feasible || std::isnan(e.values[column])) continue;
    lo = std::min(lo, e.values[column]);
    hi = std::max(hi, e.values[column]);
  }
  if (lo > hi) return c.text + " (no feasible value)";
  return c.text + " (feasible values " + format_value(lo) + " .. " + format_value(hi) + ")";
}

}  // namespace

PickRequest best_request(const RunFolder& run, const std::string& text) {
  PickRequest request;
  std::string metric = text;
  bool explicit_direction = false;
  for (const char* prefix : {"max:", "min:"}) {
    if (text.rfind(prefix, 0) == 0) {
      metric = text.substr(4);
      request.maximize = prefix[1] == 'a';
      explicit_direction = true;
    }
  }
  if (run.metric_column(metric) == kNone)
    throw Error("--best '" + text + "': the run has no metric '" + metric + "'" + runtime::did_you_mean(metric, run.metrics) +
                "; fix: name one of its metrics: " + list(run.metrics));
  request.best = metric;
  if (explicit_direction) return request;
  for (const auto& o : run.objectives) {
    if (o.metric == metric) {
      request.maximize = o.maximize;
      return request;
    }
  }
  throw Error("--best '" + text + "': '" + metric +
              "' is not an objective of the run, so the better direction is not known; fix: write --best max:" + metric +
              " or --best min:" + metric);
}

PickResult pick(const RunFolder& run, const PickRequest& request) {
  std::vector<std::size_t> columns;
  for (const auto& o : run.objectives) columns.push_back(run.metric_column(o.metric));
  std::vector<std::size_t> candidates;
  moo::Points points;
  for (std::size_t i = 0; i < run.evaluations.size(); ++i) {
    const Evaluation& e = run.evaluations[i];
    if (!e.feasible) continue;
    const bool admitted = std::all_of(request.where.begin(), request.where.end(),
                                      [&](const Condition& c) { return c.holds(e.values[run.metric_column(c.metric)]); });
    if (!admitted) continue;
    moo::Point p;
    for (std::size_t k = 0; k < columns.size(); ++k) p.push_back(run.objectives[k].minimized(e.values[columns[k]]));
    if (std::any_of(p.begin(), p.end(), [](double v) { return !std::isfinite(v); })) continue;
    candidates.push_back(i);
    points.push_back(std::move(p));
  }
  if (candidates.empty()) {
    std::size_t feasible = 0;
    for (const auto& e : run.evaluations) feasible += e.feasible ? 1 : 0;
    if (request.where.empty())
      throw Error(run.dir + ": the run has no feasible evaluation, so nothing to pick; fix: relax the run's constraints "
                  "and search again");
    std::string why;
    for (const auto& c : request.where) why += (why.empty() ? "" : ", ") + closest(run, c);
    throw Error(run.dir + ": none of the " + std::to_string(feasible) + " feasible evaluations satisfies every --where: " +
                why + "; fix: relax --where");
  }
  PickResult result;
  result.candidates = candidates.size();
  // The front of the admitted points, in the order pareto.csv lists a front
  // (by objective vector), so ties resolve the same way on every machine.
  std::vector<std::size_t> front = moo::pareto_front(points);
  std::stable_sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) { return points[a] < points[b]; });
  result.front_size = front.size();
  if (request.best.empty()) {
    moo::Points front_points;
    for (std::size_t k : front) front_points.push_back(points[k]);
    result.position = candidates[front[moo::knee_point(front_points)]];
    result.rule = "knee point";
    return result;
  }
  const std::size_t column = run.metric_column(request.best);
  // The best value among all admitted points, first in front order on ties
  // (so of two equally accurate networks the faster one, when it is on the front).
  std::vector<std::size_t> order = front;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    if (std::find(front.begin(), front.end(), k) == front.end()) order.push_back(k);
  }
  std::size_t chosen = kNone;
  for (std::size_t k : order) {
    const double v = run.evaluations[candidates[k]].values[column];
    if (std::isnan(v)) continue;
    if (chosen == kNone) {
      chosen = k;
      continue;
    }
    const double best = run.evaluations[candidates[chosen]].values[column];
    if (request.maximize ? v > best : v < best) chosen = k;
  }
  if (chosen == kNone)
    throw Error("--best " + request.best + ": no admitted evaluation has a value for it; fix: pick by another metric");
  result.position = candidates[chosen];
  result.rule = std::string(request.maximize ? "largest " : "smallest ") + request.best;
  return result;
}

}  // namespace nasctl::report
