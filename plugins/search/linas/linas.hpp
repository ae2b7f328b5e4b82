// LINAS (Lightweight Iterative Neural Architecture Search, DyNAS-T,
// arXiv 2202.12954) as an ask/tell strategy:
//   1. measure a random population for real;
//   2. each iteration: fit one predictor per objective and per constrained
//      metric on everything measured so far (features: SearchSpace::encode),
//      run NSGA-II on the predictions for `inner_evaluations` predictor
//      evaluations, and propose its final population, minus networks
//      already measured, for real evaluation (topped up from the inner
//      search's next ranks, then random networks, to `population`).
// The inner search of iteration i is seeded from (run seed, i), so the same
// seed and the same results replay the same asks (resume by replay).
//
// Predictors that cannot be fitted (a metric constant over every measured
// network, a NaN measurement) stop the search with an error naming the
// metric: falling back to random proposals would silently turn LINAS into
// random search.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "inner_search.hpp"
#include "nasctl/config.hpp"
#include "nasctl/search_strategy.hpp"
#include "surrogate.hpp"

namespace nasctl::search::linas {

struct LinasOptions {
  std::size_t population = 50;        // initial random population, and proposals per iteration
  std::size_t inner_evaluations = 20000;
  ModelChoice model = ModelChoice::Auto;
  int folds = 5;                      // cross-validation folds for model and hyper-parameter choice
  std::string config_table = "search";  // for messages: where the keys live
  std::string population_where = "default";  // for messages: where `population` was set
};

// The plugin's declared keys, and the options they give.
std::vector<ConfigKey> config_keys();
LinasOptions options_from(const PluginConfig& config);

// What one iteration did, for logs and tests.
struct IterationReport {
  std::size_t iteration = 0;   // 1 for the first predictor-driven batch
  std::size_t measured = 0;    // architectures the predictors were fitted on
  std::vector<std::string> predictors;
  std::size_t inner_evaluations = 0;
  double fit_seconds = 0.0, inner_seconds = 0.0;
  std::size_t from_inner = 0, random_fill = 0;
};

class Linas : public SearchStrategy {
 public:
  explicit Linas(LinasOptions options);
  explicit Linas(const PluginContext& ctx) : Linas(options_from(ctx.config)) {}

  void start(const Problem& problem) override;
  std::vector<Architecture> ask(std::size_t n) override;
  void tell(const std::vector<Evaluation>& results) override;
  std::size_t preferred_batch() const override { return options_.population; }
  bool exhausted() const override { return exhausted_; }

  const Measurements& measurements() const { return measured_; }
  const std::vector<IterationReport>& iterations() const { return iterations_; }

 private:
  std::string key(const Architecture& arch) const;
  void plan_iteration();
  void record(const Evaluation& e);

  LinasOptions options_;
  Problem problem_;
  Rng rng_;
  Measurements measured_;
  std::deque<Architecture> queue_;  // proposed, not yet asked
  std::size_t outstanding_ = 0;     // asked, not yet told
  std::vector<IterationReport> iterations_;
  bool exhausted_ = false;
};

// Seed of iteration i's inner search: a SplitMix64 mix of the run seed and i,
// so that iterations (and runs with neighbouring seeds) do not share streams.
uint64_t inner_seed(uint64_t run_seed, std::size_t iteration);

}  // namespace nasctl::search::linas
