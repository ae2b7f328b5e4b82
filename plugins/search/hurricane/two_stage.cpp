#include "two_stage.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/evolve/spos_config.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::search::hurricane {

std::vector<ConfigKey> TwoStageSearch::config_keys() {
  std::vector<ConfigKey> keys = evolve::spos_config_keys();
  keys.push_back(ConfigKey::optional("split", ConfigType::Int,
                                     "First variable (layer) of the late group: early = variables [0, split), late = "
                                     "[split, end), in the space's order. Absent: half of the variables")
                     .at_least(1));
  keys.push_back(ConfigKey::choice("order", "early-first", {"early-first", "late-first"},
                                   "Which group stage 1 searches (the other is fixed until stage 2)"));
  keys.push_back(ConfigKey::real("stage1_fraction", 0.5, "Share of budget.evaluations spent in stage 1 (strictly between 0 and 1)")
                     .at_least(0)
                     .at_most(1));
  keys.push_back(ConfigKey::integer("stage1_epochs", 5,
                                    "Epochs the stage-1 sub-space's super-network is trained before stage 1 searches it "
                                    "(only the searched group sampled, the other held as fixed); done by an accuracy "
                                    "source that trains sub-spaces (supernet), ignored by others; 0: search the weights "
                                    "as they are")
                     .at_least(0));
  keys.push_back(ConfigKey::integer("stage2_epochs", 5,
                                    "Epochs the stage-2 sub-space's super-network is trained (fine-tuned from stage 1's) "
                                    "before stage 2 searches it; 0: search stage 1's weights")
                     .at_least(0));
  keys.push_back(ConfigKey::choice("fixed", "first", {"first", "fewest-macs"},
                                   "Stage 1's choice for the group it does not search: \"first\" = choice 0 of each "
                                   "variable (with an operators file, the best-scored operator of each layer); "
                                   "\"fewest-macs\" = the choice with the fewest MACs, the others at choice 0"));
  return keys;
}

TwoStageSearch::TwoStageSearch(const PluginContext& context)
    : config_(context.config),
      options_(evolve::spos_options(context.config)),
      early_first_(context.config.get_string("order") == "early-first"),
      epochs_{context.config.get_int("stage1_epochs"), context.config.get_int("stage2_epochs")} {}

Architecture TwoStageSearch::fewest_macs_defaults() const {
  const SearchSpace& space = *problem_.space;
  const auto& vars = space.variables();
  const Architecture zero(vars.size(), 0);
  Architecture out = zero;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    int64_t fewest = std::numeric_limits<int64_t>::max();
    for (int c = 0; c < vars[i].cardinality(); ++c) {
      Architecture a = zero;
      a[i] = c;
      const int64_t macs = count_cost(space.lower(space.canonicalize(a))).macs;
      if (macs < fewest) {
        fewest = macs;
        out[i] = c;
      }
    }
  }
  return out;
}

void TwoStageSearch::start(const Problem& problem) {
  problem_ = problem;
  const std::size_t n = problem.space->variables().size();
  if (n < 2)
    config_.fail("split", "the space has " + std::to_string(n) +
                              " variable(s); two stages need at least 2; fix: use the evolution strategy instead");
  split_ = config_.has("split") ? static_cast<std::size_t>(config_.get_int("split")) : n / 2;
  if (split_ < 1 || split_ >= n)
    config_.fail("split", "is " + std::to_string(split_) + " but the space has " + std::to_string(n) +
                              " variables, leaving a group empty; fix: use 1.." + std::to_string(n - 1) + " (default " +
                              std::to_string(n / 2) + ")");
  const std::size_t total = problem.evaluation_budget;
  if (total == 0)
    throw ConfigError("hurricane: the two-stage search splits budget.evaluations between its stages, but the config "
                      "sets none; fix: add evaluations = N under [budget]");
  const double fraction = config_.get_double("stage1_fraction");
  const auto first = static_cast<std::size_t>(std::llround(static_cast<double>(total) * fraction));
  if (first < 1 || first >= total)
    config_.fail("stage1_fraction", "gives stage 1 " + std::to_string(first) + " of the " + std::to_string(total) +
                                        " evaluations, leaving a stage empty; fix: use a fraction strictly between 0 "
                                        "and 1 (and budget.evaluations >= 2)");
  budget_[0] = first;
  budget_[1] = total - first;
  const std::size_t smaller = std::min(budget_[0], budget_[1]);
  if (smaller < options_.population)
    config_.fail("population", std::to_string(options_.population) + " is more than the " + std::to_string(smaller) +
                                   " evaluations of a stage (budget.evaluations = " + std::to_string(total) +
                                   " split by stage1_fraction), so that stage would end inside its random first "
                                   "iteration; fix: lower search.population or raise budget.evaluations");
  fitness_ = evolve::make_fitness(problem, config_);
  early_ = evolve::make_early_metrics(problem, config_);
  defaults_ = config_.get_string("fixed") == "fewest-macs" ? fewest_macs_defaults() : Architecture(n, 0);
  problem.space->check(defaults_);
  begin_stage(1);
}

void TwoStageSearch::begin_stage(int stage) {
  const std::size_t n = problem_.space->variables().size();
  evolve::SposProblem p;
  if (stage == 2) {
    const auto best = engine_->best();
    if (!best)
      throw EvaluationError("hurricane: stage 1 ended after " + std::to_string(used_) +
                            " evaluations without an architecture that meets the constraints" +
                            (engine_->describe_misses().empty() ? "" : " (" + engine_->describe_misses() + ")") +
                            "; fix: relax the constraint, or raise stage1_fraction or budget.evaluations");
    base_ = best->arch;
    p.seeds = {base_};  // stage 2 starts from stage 1's best (known: costs no evaluation)
    budget_[1] = problem_.evaluation_budget - std::min(problem_.evaluation_budget, used_);
  } else {
    base_ = defaults_;
  }
  stage_ = stage;
  used_ = 0;
  const bool search_early = (stage == 1) == early_first_;
  searchable_.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) searchable_[i] = (i < split_) == search_early;
  p.space = problem_.space;
  p.constraints = problem_.constraints;
  p.fitness = fitness_;
  p.early_metrics = early_;
  p.seed = problem_.seed + static_cast<uint64_t>(stage - 1);
  p.base = base_;
  p.searchable = searchable_;
  p.who = "hurricane stage " + std::to_string(stage);
  subspace_.name = "stage" + std::to_string(stage);
  subspace_.searchable = searchable_;
  subspace_.base = base_;
  subspace_.train_epochs = epochs_[stage - 1];
  engine_ = std::make_unique<evolve::Spos>(options_);
  engine_->start(std::move(p));
}

const SubSpace* TwoStageSearch::current_subspace() const { return stage_ >= 1 && stage_ <= 2 ? &subspace_ : nullptr; }

std::vector<Architecture> TwoStageSearch::ask(std::size_t n) {
  while (stage_ <= 2) {
    const std::size_t left = budget_[stage_ - 1] - std::min(budget_[stage_ - 1], used_);
    std::vector<Architecture> out = left ? engine_->ask(std::min(n, left)) : std::vector<Architecture>{};
    if (!out.empty()) return out;
    // The stage's sub-space holds nothing new: move on (stage 2 gets the rest).
    if (stage_ == 1) {
      begin_stage(2);
      continue;
    }
    stage_ = 3;
  }
  return {};
}

void TwoStageSearch::tell(const std::vector<Evaluation>& results) {
  if (stage_ > 2) return;
  engine_->tell(results);
  for (const Evaluation& r : results) used_ += r.known ? 0 : 1;
  if (used_ < budget_[stage_ - 1]) return;
  if (stage_ == 1) {
    begin_stage(2);
    return;
  }
  stage_ = 3;
}

}  // namespace nasctl::search::hurricane
