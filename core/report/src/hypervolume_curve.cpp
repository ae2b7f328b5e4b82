#include "nasctl/report/hypervolume_curve.hpp"

#include <algorithm>
#include <cmath>

#include "nasctl/moo/dominance.hpp"
#include "nasctl/moo/hypervolume.hpp"

namespace nasctl::report {

std::vector<CurvePoint> hypervolume_curve(const RunFolder& run, const std::vector<double>& reference) {
  std::vector<CurvePoint> curve;
  if (reference.size() != run.objectives.size() || reference.empty()) return curve;
  std::vector<std::size_t> columns;
  for (const auto& o : run.objectives) columns.push_back(run.metric_column(o.metric));
  moo::Points front;
  double volume = 0.0;
  bool any = false;
  for (std::size_t i = 0; i < run.evaluations.size(); ++i) {
    const Evaluation& e = run.evaluations[i];
    if (!e.feasible) continue;
    moo::Point p;
    for (std::size_t k = 0; k < columns.size(); ++k) p.push_back(run.objectives[k].minimized(e.values[columns[k]]));
    if (std::any_of(p.begin(), p.end(), [](double v) { return !std::isfinite(v); })) continue;
    // Only a point that no member of the front dominates or equals can change
    // the volume; recomputing just then keeps 10,000 evaluations cheap.
    const bool covered = std::any_of(front.begin(), front.end(), [&](const moo::Point& q) { return q == p || moo::dominates(q, p); });
    if (covered) continue;
    front.erase(std::remove_if(front.begin(), front.end(), [&](const moo::Point& q) { return moo::dominates(p, q); }), front.end());
    front.push_back(p);
    const double updated = moo::hypervolume(front, reference);
    if (any && updated == volume) continue;
    volume = updated;
    any = true;
    curve.push_back({i + 1, volume});
  }
  if (any && curve.back().evaluations != run.evaluations.size()) curve.push_back({run.evaluations.size(), volume});
  return curve;
}

bool same_objectives(const RunFolder& a, const RunFolder& b) {
  if (a.objectives.size() != b.objectives.size()) return false;
  for (std::size_t i = 0; i < a.objectives.size(); ++i) {
    if (a.objectives[i].metric != b.objectives[i].metric || a.objectives[i].maximize != b.objectives[i].maximize) return false;
  }
  return true;
}

std::vector<double> common_reference(const std::vector<const RunFolder*>& runs) {
  std::vector<double> reference;
  for (const RunFolder* run : runs) {
    if (run->reference.empty()) continue;
    if (reference.empty()) {
      reference = run->reference;
      continue;
    }
    for (std::size_t k = 0; k < reference.size() && k < run->reference.size(); ++k)
      reference[k] = std::max(reference[k], run->reference[k]);
  }
  return reference;
}

}  // namespace nasctl::report
