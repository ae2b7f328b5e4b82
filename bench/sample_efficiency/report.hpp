// Writing the sample-efficiency results: CSV files for plots and further
// analysis, and a Markdown table for docs/results.md.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hv_curves.hpp"
#include "seed_statistics.hpp"

namespace nasctl::sample_efficiency {

// "Evaluations strategy S needs to reach the mean hypervolume of strategy T
// after N evaluations" for every S.
struct ReachTarget {
  std::string strategy;  // T
  std::size_t evaluations = 0;  // N
  double hypervolume = 0.0;  // mean over T's seeds at N

  // Parses "T@N". Throws std::invalid_argument with the expected form.
  static ReachTarget parse(const std::string& text);
};

// A reference run reported on its own (e.g. the approximate true front).
struct FrontResult {
  std::string label;
  std::size_t evaluations = 0;
  double hypervolume = 0.0;
};

// curves.csv: strategy, evaluations, seeds, mean, std, min, max, median for
// every evaluation count (the plot's data).
void write_curves(const std::string& path, const std::vector<Strategy>& strategies);

// summary.csv: the same columns at the checkpoints each strategy reached.
void write_summary(const std::string& path, const std::vector<Strategy>& strategies,
                   const std::vector<std::size_t>& checkpoints);

// runs.csv: strategy, file, evaluations, hypervolume per run at each
// checkpoint it reached and at its last evaluation.
void write_runs(const std::string& path, const std::vector<Strategy>& strategies,
                const std::vector<std::size_t>& checkpoints);

// reach.csv: one row per (target, strategy).
void write_reach(const std::string& path, const std::vector<Strategy>& strategies,
                 const std::vector<ReachTarget>& targets);

// fronts.csv: label, evaluations, hypervolume.
void write_fronts(const std::string& path, const std::vector<FrontResult>& fronts);

// Markdown: the checkpoint table (mean ± std, min–max), the reach table and
// the fronts, as pasted into docs/results.md.
std::string markdown(const std::vector<Strategy>& strategies, const std::vector<std::size_t>& checkpoints,
                     const std::vector<ReachTarget>& targets, const std::vector<FrontResult>& fronts);

}  // namespace nasctl::sample_efficiency
