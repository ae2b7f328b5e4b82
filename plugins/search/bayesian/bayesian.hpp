// Multi-objective Bayesian optimisation over a discrete space, as an ask/tell
// state machine (the `bayesian` search plugin wraps it).
//
// 1. Initial design: `initial` distinct random architectures (default 20: on
//    OFA MobileNetV3, 100 evaluations, 10 seeds, 20 gave a mean hypervolume
//    of 4,186 against 4,146 with 10; the first GPs are then less erratic).
// 2. Then each ask(n): a Gaussian process per objective and per constrained
//    metric on every observation (GaussianProcess, hyper-parameters by
//    marginal likelihood), and n proposals, one at a time:
//    - acquisition = EHVI(candidate) x P(feasible) (see ehvi.hpp: exact for
//      1 and 2 objectives, Monte-Carlo for 3+); while nothing feasible has
//      been observed, P(feasible) alone, to find the feasible region first;
//    - maximised by a genetic algorithm over the space (inner_search.hpp),
//      seeded with mutations of the observed Pareto front;
//    - Kriging believer: the pick joins the GPs as an observation at its
//      predicted mean (shrinking their variance around it) and, when it is
//      believed feasible, joins the front EHVI measures against; the next
//      pick then goes elsewhere. Picks are never measured or pending points.
// Reference point of the hypervolume: `reference` in the objectives' natural
// units when given; otherwise the nadir of the observed feasible front pushed
// out by `reference_margin` x the front's range in each objective,
// recomputed at every ask. The margin is 0.5, not BoTorch's 0.1: early fronts
// are narrow, and a tight box gives the ends of the front almost no reward
// for extending it (on OFA MobileNetV3 accuracy vs MACs, 100 evaluations,
// 10 seeds, initial 10: mean hypervolume 3,762 with 0.1, 4,146 with 0.5).
//
// Cost per ask: two GP fits of O(n^3) each (~0.1 s at n = 200) plus the
// inner searches (~0.1 s for a batch of 5); see bench/search/bench_bayesian.
// With 3+ objectives the Monte-Carlo EHVI dominates (~1 s per ask of 5).
//
// Determinism: all randomness comes from one engine seeded with the run's
// seed, and state changes only in ask() and tell(), so the same tells give
// the same asks (the run loop resumes by replaying).
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "inner_search.hpp"
#include "nasctl/moo/dominance.hpp"
#include "nasctl/predict/gaussian_process.hpp"
#include "nasctl/search_strategy.hpp"
#include "surrogates.hpp"

namespace nasctl::search::bayesian {

struct BayesianOptions {
  std::size_t initial = 20;
  std::vector<double> reference;  // natural units, one per objective; empty: derived
  double reference_margin = 0.5;
  predict::GpKernel kernel = predict::GpKernel::Matern52;
  InnerSearchOptions inner;
  int mc_samples = 128;   // 3+ objectives
  int max_redraws = 100;  // random design: redraws of an already seen architecture
};

// What the last ask did, for logs, tests and benchmarks.
struct StepReport {
  bool model = false;                // false: random design
  std::size_t observations = 0;
  moo::Point reference;              // minimisation form; empty without a feasible observation
  std::vector<double> acquisition;   // value of each pick when chosen
  double fit_seconds = 0.0;          // GP fits
  double search_seconds = 0.0;       // inner searches and beliefs
};

class BayesianOptimisation {
 public:
  explicit BayesianOptimisation(BayesianOptions options);

  // Throws ConfigError when `reference` does not have one value per
  // objective or the evaluation budget is smaller than `initial`.
  void start(const Problem& problem);
  std::vector<Architecture> ask(std::size_t n);
  void tell(const std::vector<Evaluation>& results);
  bool exhausted() const { return exhausted_; }

  const StepReport& last_step() const { return step_; }
  const std::vector<Observation>& observations() const { return observations_; }
  // Reference point (minimisation form) for the current observations; empty
  // when none is feasible.
  moo::Point reference_point() const;

 private:
  std::vector<Architecture> random_design(std::size_t n);
  std::vector<Architecture> model_step(std::size_t n);
  std::vector<Architecture> front_architectures() const;

  BayesianOptions options_;
  Problem problem_;
  Rng rng_;
  std::vector<Architecture> archs_;          // observed, aligned with observations_
  std::vector<Observation> observations_;
  std::unordered_set<std::string> observed_;  // canonical keys
  std::vector<Architecture> pending_;         // asked, not told yet
  std::unordered_set<std::string> pending_keys_;
  bool exhausted_ = false;
  StepReport step_;
};

}  // namespace nasctl::search::bayesian
