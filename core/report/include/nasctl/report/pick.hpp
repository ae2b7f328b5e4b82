// `nasctl pick`: one architecture of a run, chosen by rules a person can
// state and check. Candidates are the run's feasible evaluations that satisfy
// every --where; their Pareto front (over the run's objectives) is computed
// anew, since a bound on a metric that is not an objective can admit points
// the run's own front dominated. The knee point (nasctl::moo::knee_point)
// is taken on that front; --best takes the best value of one metric among
// all candidates, the front's points first on equal values.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nasctl/report/run_folder.hpp"
#include "nasctl/report/where.hpp"

namespace nasctl::report {

struct PickRequest {
  std::vector<Condition> where;
  std::string best;       // metric of --best; empty: the knee point
  bool maximize = false;  // the direction of `best`
};

struct PickResult {
  std::size_t position = 0;    // in RunFolder::evaluations
  std::size_t candidates = 0;  // feasible evaluations satisfying --where
  std::size_t front_size = 0;  // their Pareto front
  std::string rule;            // "knee point" or "largest accuracy.top1"
};

// --best's argument: "METRIC" for an objective of the run (in its goal's
// direction) or "max:METRIC" / "min:METRIC" for any metric. Throws
// nasctl::Error "--best '...': ...; fix: ..." (with a did-you-mean).
PickRequest best_request(const RunFolder& run, const std::string& text);

// Throws nasctl::Error when no feasible evaluation satisfies the conditions,
// saying how close the run came to each of them.
PickResult pick(const RunFolder& run, const PickRequest& request);

}  // namespace nasctl::report
