// Hypervolume against the number of evaluations: how fast a run's front grew.
// Replayed from evaluations.csv in evaluation order, so it needs nothing the
// run did not already write.
#pragma once

#include <cstddef>
#include <vector>

#include "nasctl/report/run_folder.hpp"

namespace nasctl::report {

struct CurvePoint {
  std::size_t evaluations;  // after this many evaluations...
  double hypervolume;       // ...the feasible front had this volume
};

// One point each time the volume changed, plus one at the last evaluation
// (so the curve reaches the end of the run). Objectives in minimisation form,
// against `reference`; empty when the run has no feasible evaluation or
// `reference` is empty.
std::vector<CurvePoint> hypervolume_curve(const RunFolder& run, const std::vector<double>& reference);

// The reference runs are compared against: each run's own (run.json's) when
// alone; for runs with the same objectives, the worst of their references in
// each objective, so every run is measured against one point and the curves
// can be compared. Empty when no run has a reference.
std::vector<double> common_reference(const std::vector<const RunFolder*>& runs);

// Whether two runs optimise the same metrics in the same directions.
bool same_objectives(const RunFolder& a, const RunFolder& b);

}  // namespace nasctl::report
