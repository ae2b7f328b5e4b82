#include "seed_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nasctl::sample_efficiency {

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t half = values.size() / 2;
  if (values.size() % 2 == 1) return values[half];
  return 0.5 * (values[half - 1] + values[half]);
}

std::size_t Strategy::longest() const {
  std::size_t n = 0;
  for (const auto& run : runs) n = std::max(n, run.evaluations);
  return n;
}

std::optional<SeedStatistics> Strategy::at(std::size_t evaluations) const {
  if (evaluations == 0) return std::nullopt;
  std::vector<double> values;
  for (const auto& run : runs) {
    if (run.evaluations >= evaluations) values.push_back(run.hypervolume[evaluations - 1]);
  }
  if (values.empty()) return std::nullopt;

  SeedStatistics s;
  s.evaluations = evaluations;
  s.seeds = values.size();
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double squares = 0.0;
  for (const double v : values) squares += (v - s.mean) * (v - s.mean);
  s.std = values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0.0;
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  s.median = median(values);
  return s;
}

std::vector<Strategy> group_by_strategy(std::vector<RunCurve> runs) {
  std::vector<Strategy> strategies;
  for (auto& run : runs) {
    auto it = std::find_if(strategies.begin(), strategies.end(), [&](const Strategy& s) { return s.name == run.strategy; });
    if (it == strategies.end()) {
      strategies.push_back(Strategy{run.strategy, {}});
      it = std::prev(strategies.end());
    }
    it->runs.push_back(std::move(run));
  }
  return strategies;
}

Reach reach(const Strategy& strategy, double target_hv) {
  Reach result;
  const std::size_t longest = strategy.longest();
  for (std::size_t n = 1; n <= longest; ++n) {
    const auto s = strategy.at(n);
    if (s && s->mean >= target_hv) {
      result.mean_curve = n;
      break;
    }
  }

  std::vector<double> firsts;
  result.seeds = strategy.runs.size();
  for (const auto& run : strategy.runs) {
    // Curves never decrease, so the first crossing is a lower bound search.
    const auto it = std::lower_bound(run.hypervolume.begin(), run.hypervolume.end(), target_hv);
    if (it == run.hypervolume.end()) continue;
    const auto n = static_cast<std::size_t>(it - run.hypervolume.begin()) + 1;
    firsts.push_back(static_cast<double>(n));
    result.seed_min = std::min(result.seed_min.value_or(n), n);
    result.seed_max = std::max(result.seed_max.value_or(n), n);
  }
  result.seeds_reaching = firsts.size();
  if (!firsts.empty()) result.seed_median = median(firsts);
  return result;
}

}  // namespace nasctl::sample_efficiency
