// Single-objective, constraint-aware evolution as in Single Path One-Shot
// (Guo et al. 2020), the search HURRICANE runs in each of its two stages, as
// an ask/tell engine over a SearchSpace.
//
// Iteration 0 draws `population` random architectures. Every later iteration
// draws `mutations` children of the top-k (`parents`) feasible architectures
// found so far (each searchable variable redrawn with `mutation_prob`) and
// `crossovers` uniform crosses of two of them, topped up with random
// architectures to `population`. Nothing is proposed twice.
//
// Hard constraints: SPOS re-draws a candidate that breaks one. An ask/tell
// strategy only learns most metrics after evaluation, so:
//  - infeasible results never become parents, and each one is replaced by a
//    new draw of the same kind (random, mutation, crossover) in the next
//    ask, up to `redraws` times per slot of an iteration;
//  - metrics that can be computed before proposing (early_metrics, e.g. MACs
//    counted from the lowered network) filter candidates before they cost an
//    evaluation, as SPOS does with its FLOPs limit;
//  - when the first iteration ends without a single feasible architecture,
//    the constraint is declared unsatisfiable: EvaluationError (or
//    ConfigError when the pre-filter alone rejected everything) naming the
//    constraint, the closest value seen and the fix.
// Determinism: the same problem, seed and sequence of tells give the same asks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "nasctl/metrics.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/search_strategy.hpp"

namespace nasctl::evolve {

struct SposOptions {
  std::size_t population = 50;  // size of the first iteration; later ones are topped up to it
  std::size_t parents = 10;     // top-k feasible architectures that breed
  std::size_t mutations = 25;   // children by mutation per iteration
  std::size_t crossovers = 25;  // children by crossover per iteration
  double mutation_prob = 0.1;   // per searchable variable
  int redraws = 3;              // replacements per slot when an evaluated candidate is infeasible
  int max_tries = 100;          // draws per slot to find a new candidate that passes the pre-filter
};

// What the engine optimises: one scalar (minimised) under hard constraints.
struct SposProblem {
  const SearchSpace* space = nullptr;
  std::vector<Constraint> constraints;
  std::function<double(const Evaluation&)> fitness;  // minimised; called for feasible results only
  // Optional: metrics known before evaluation (full names). Constraints on
  // them filter candidates before they are proposed.
  std::function<Metrics(const Architecture&)> early_metrics;
  uint64_t seed = 42;
  // Optional sub-space: variables with searchable[i] == false keep base[i]
  // (HURRICANE's stages). Empty: every variable is searched.
  Architecture base;
  std::vector<bool> searchable;
  // Optional: architectures proposed first in iteration 0 (e.g. the previous
  // stage's best; the run loop answers known ones without spending budget).
  std::vector<Architecture> seeds;
  std::string who = "evolution";  // prefix of error messages
};

class Spos {
 public:
  struct Member {
    Architecture arch;
    double fitness = 0.0;
    std::size_t order = 0;  // arrival order, the tie-breaker
  };

  explicit Spos(SposOptions options);

  // Throws ConfigError for options or a sub-space that cannot work.
  void start(SposProblem problem);
  std::vector<Architecture> ask(std::size_t n);
  // Results of the last ask, in order.
  void tell(const std::vector<Evaluation>& results);

  bool exhausted() const { return exhausted_; }
  std::size_t iteration() const { return iteration_; }
  // The best feasible architectures told so far, best first, at most
  // `parents` of them: what the next iteration breeds from.
  const std::vector<Member>& top_k() const { return top_; }
  std::optional<Member> best() const;
  std::size_t feasible_count() const { return feasible_; }
  // The constraints broken so far with the closest value seen for each, e.g.
  // "'cpu.latency_ms <= 5' (closest value seen 7.2)"; empty when none.
  std::string describe_misses() const;
  std::size_t told_count() const { return told_; }

 private:
  enum class Origin { Random, Mutation, Crossover };
  struct Pending {
    Architecture arch;
    Origin origin;
  };

  void begin_iteration();
  void refill_or_advance();
  std::optional<Architecture> draw(Origin origin);
  Architecture generate(Origin origin);
  Architecture restrict(Architecture arch) const;
  bool passes_prefilter(const Architecture& arch);
  void check_prefilter(const Architecture& arch, const Evaluation& result) const;
  void record(const Evaluation& result);
  void note_violation(const Metrics& metrics);
  [[noreturn]] void fail_unsatisfiable(bool prefilter_only) const;
  std::string key(const Architecture& arch) const;

  SposOptions options_;
  SposProblem problem_;
  Rng rng_;
  std::vector<Member> top_;              // best feasible, sorted, at most `parents`
  std::vector<Architecture> breeders_;   // the top-k frozen at the start of an iteration
  std::deque<Pending> queue_;            // drawn, not yet asked
  std::deque<Pending> asked_;            // asked, not yet told
  std::vector<Origin> to_replace_;       // infeasible slots of this iteration
  std::unordered_set<std::string> seen_;
  std::size_t iteration_ = 0;
  std::size_t iteration_size_ = 0;
  std::size_t iteration_draws_ = 0;      // evaluated-or-asked candidates of this iteration
  std::size_t feasible_ = 0;
  std::size_t told_ = 0;
  std::size_t prefilter_rejected_ = 0;
  bool exhausted_ = false;
  // Closest miss per constraint (smallest violation and the metric value),
  // for the unsatisfiable message.
  std::vector<double> closest_violation_;
  std::vector<double> closest_value_;
};

}  // namespace nasctl::evolve
