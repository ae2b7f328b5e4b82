// Statistics of hypervolume curves over the seeds of one strategy, and the
// "how many evaluations does strategy S need to reach target T" comparison
// the issue asks for (LINAS vs NSGA-II at 500 evaluations).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hv_curves.hpp"

namespace nasctl::sample_efficiency {

// Hypervolume over the seeds that ran at least `evaluations` evaluations.
struct SeedStatistics {
  std::size_t evaluations = 0;
  std::size_t seeds = 0;
  double mean = 0.0;
  double std = 0.0;  // sample standard deviation (n - 1); 0 for one seed
  double min = 0.0;
  double max = 0.0;
  double median = 0.0;
};

// All runs of one strategy, in the order given.
struct Strategy {
  std::string name;
  std::vector<RunCurve> runs;

  std::size_t longest() const;
  // Statistics at `evaluations` (1-based); nullopt when no run got that far.
  std::optional<SeedStatistics> at(std::size_t evaluations) const;
};

// Groups runs by strategy, keeping the order in which strategies first appear.
std::vector<Strategy> group_by_strategy(std::vector<RunCurve> runs);

// Evaluations `strategy` needs to reach `target_hv`.
struct Reach {
  // First n at which the mean curve over seeds reaches the target (the mean
  // is taken over the seeds that ran n evaluations).
  std::optional<std::size_t> mean_curve;
  // Per seed: first n at which that seed's own curve reaches the target.
  std::size_t seeds = 0;
  std::size_t seeds_reaching = 0;
  std::optional<double> seed_median;  // median over the seeds that reach it
  std::optional<std::size_t> seed_min;
  std::optional<std::size_t> seed_max;
};

Reach reach(const Strategy& strategy, double target_hv);

double median(std::vector<double> values);

}  // namespace nasctl::sample_efficiency
