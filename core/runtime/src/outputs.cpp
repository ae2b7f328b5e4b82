#include "nasctl/runtime/outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/moo/sorting.hpp"

namespace nasctl::runtime {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}
}  // namespace

void score(EvaluationRecord& record, const Problem& problem) {
  EvaluationRecord& s = record;
  s.objectives.clear();
  s.violation = 0.0;
  for (const auto& o : problem.objectives) {
    auto it = record.metrics.find(o.metric);
    const double v = it == record.metrics.end() ? std::nan("") : it->second;
    s.objectives.push_back(std::isnan(v) ? kInf : o.to_minimized(v));
  }
  if (!record.error.empty()) {
    s.violation = kInf;
    return;
  }
  for (const auto& c : problem.constraints) {
    auto it = record.metrics.find(c.metric);
    s.violation += it == record.metrics.end() ? kInf : c.violation(it->second);
  }
  for (double v : s.objectives) {
    if (!std::isfinite(v)) s.violation = kInf;  // e.g. a table without this network
  }
}

std::vector<std::size_t> pareto_indices(const std::vector<EvaluationRecord>& scores) {
  std::vector<std::size_t> feasible;
  std::vector<std::vector<double>> points;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!scores[i].feasible()) continue;
    feasible.push_back(i);
    points.push_back(scores[i].objectives);
  }
  if (points.empty()) return {};
  std::vector<std::size_t> front;
  for (std::size_t k : moo::pareto_front(points)) front.push_back(feasible[k]);
  std::sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) {
    return scores[a].objectives < scores[b].objectives;
  });
  // Identical objective vectors from different networks are all kept.
  return front;
}

std::string evaluations_csv(const std::vector<EvaluationRecord>& records,
                            const std::vector<std::string>& metric_names, const std::vector<std::size_t>* only) {
  std::ostringstream out;
  std::vector<std::string> header{"index", "arch"};
  header.insert(header.end(), metric_names.begin(), metric_names.end());
  header.insert(header.end(), {"feasible", "violation", "eval_seconds", "error"});
  write_csv_row(out, header);
  auto row = [&](std::size_t i) {
    const auto& r = records[i];
    std::vector<std::string> fields{std::to_string(r.index), r.canonical};
    for (const auto& m : metric_names) {
      auto it = r.metrics.find(m);
      fields.push_back(it == r.metrics.end() ? "" : number(it->second));
    }
    fields.push_back(r.feasible() ? "true" : "false");
    fields.push_back(number(r.violation));
    fields.push_back(number(r.seconds));
    fields.push_back(r.error);
    write_csv_row(out, fields);
  };
  if (only) {
    for (std::size_t i : *only) row(i);
  } else {
    for (std::size_t i = 0; i < records.size(); ++i) row(i);
  }
  return out.str();
}

}  // namespace nasctl::runtime
