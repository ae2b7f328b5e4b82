// Hypervolume against the number of real evaluations, read from the
// evaluations.csv files `nasctl search` writes. The sample-efficiency
// benchmark's only numeric core: everything it reports (per-seed curves,
// statistics over seeds, "evaluations needed to reach X") derives from these
// curves, and the volume itself always comes from nasctl::moo::hypervolume.
#pragma once

#include <string>
#include <vector>

#include "nasctl/moo/dominance.hpp"

namespace nasctl::sample_efficiency {

// One objective column of evaluations.csv and how it enters the hypervolume:
// its values are multiplied by `scale` (e.g. 1e-6 for MACs in millions) and
// negated when maximised, so every objective is minimised.
struct ObjectiveColumn {
  std::string metric;  // column name, e.g. "accuracy.top1_pred"
  bool maximise = false;
  double scale = 1.0;

  // Parses "metric:max|min[:scale]", e.g. "cost.macs:min:1e-6".
  // Throws std::invalid_argument naming the text and the expected form.
  static ObjectiveColumn parse(const std::string& text);
  // A value of this column in minimisation form.
  double to_minimised(double value) const { return maximise ? -value * scale : value * scale; }
};

// The reference point in minimisation form, from one natural-unit value per
// objective (already scaled, e.g. 700 for 700 M MACs, 70 for 70 % top-1).
moo::Point minimised_reference(const std::vector<ObjectiveColumn>& objectives, const std::vector<double>& natural);

// One search run: its feasible points in evaluation order and its
// hypervolume after each real evaluation.
struct RunCurve {
  std::string strategy;
  std::string file;
  std::size_t evaluations = 0;  // rows of evaluations.csv = distinct architectures evaluated
  // hypervolume[n - 1]: volume of the feasible points among the first n rows.
  std::vector<double> hypervolume;
  // The non-dominated feasible points of the whole run that dominate the
  // reference (minimisation form); what a union of runs is built from.
  moo::Points front;
};

// Reads `file` (columns `index`, the objective columns, `feasible`) and
// computes the curve. Rows count as evaluations in the order of `index`;
// infeasible or failed rows count but add no point. Throws nasctl::DataError
// ("file:line: ...; fix: ...") for a missing column or a non-numeric value.
RunCurve read_run(const std::string& strategy, const std::string& file, const std::vector<ObjectiveColumn>& objectives,
                  const moo::Point& reference);

// Hypervolume of the union of several runs' fronts: the best front known.
double union_hypervolume(const std::vector<RunCurve>& runs, const moo::Point& reference);

}  // namespace nasctl::sample_efficiency
