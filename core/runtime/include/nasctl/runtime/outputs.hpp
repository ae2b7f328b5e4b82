// What a run leaves behind besides its journal: evaluations.csv, pareto.csv
// (both rewritten atomically, so a reader never sees half a file) and the
// scoring that turns metrics into objectives and constraint violations.
#pragma once

#include <string>
#include <vector>

#include "nasctl/search_strategy.hpp"
#include "nasctl/runtime/evaluator.hpp"

namespace nasctl::runtime {

// Sets record.objectives and record.violation from its metrics.
void score(EvaluationRecord& record, const Problem& problem);

// Indices (into records) of the feasible non-dominated set, sorted by the
// first objective.
std::vector<std::size_t> pareto_indices(const std::vector<EvaluationRecord>& records);

// CSV of records in index order: index, arch, every metric, feasible,
// violation, seconds, error.
std::string evaluations_csv(const std::vector<EvaluationRecord>& records,
                            const std::vector<std::string>& metric_names,
                            const std::vector<std::size_t>* only = nullptr);

}  // namespace nasctl::runtime
