// The `hurricane` search plugin: HURRICANE's two-stage search (Zhang et al.
// 2020). The searchable layers split into an early and a late group; stage 1
// searches one group with the other fixed to default operators, stage 2 fixes
// stage 1's best and searches the other group. Each stage is SPOS evolution
// (nasctl/evolve/spos.hpp) under the config's constraints, and the
// evaluation budget is split between the stages (`stage1_fraction`).
//
// Which variables are layers: the space's variables in order, split at index
// `split` (default: half). On the `hurricane` space every variable is a layer
// (l0..l19), so the split is a layer index; on other spaces it splits
// whatever the variables are, in their declared order.
//
// HURRICANE trains a single-path super-network per stage (only the searched
// group sampled, the other group held as the stage holds it) before searching
// it. The strategy says which sub-space each stage is and how many epochs it
// wants it trained (`stage1_epochs`, `stage2_epochs`) through the StagedSearch
// face (nasctl/subspace.hpp); the run loop hands that to the accuracy source,
// and the `supernet` source trains it (docs/hurricane.md). The search itself
// runs on any accuracy source.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/evolve/spos.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_strategy.hpp"
#include "nasctl/subspace.hpp"

namespace nasctl::search::hurricane {

class TwoStageSearch : public SearchStrategy, public StagedSearch {
 public:
  explicit TwoStageSearch(const PluginContext& context);
  static std::vector<ConfigKey> config_keys();

  // Throws ConfigError when there is no evaluation budget to split, the split
  // leaves a group empty, or a stage's budget is below the population.
  void start(const Problem& problem) override;
  std::vector<Architecture> ask(std::size_t n) override;
  void tell(const std::vector<Evaluation>& results) override;
  std::size_t preferred_batch() const override { return options_.population; }
  bool exhausted() const override { return stage_ > 2; }
  // The current stage's sub-space ("stage1", "stage2"): its searched
  // variables, the others' choices and the stage's training epochs.
  const SubSpace* current_subspace() const override;

  int stage() const { return stage_; }  // 1, 2, or 3 when done
  std::size_t split() const { return split_; }
  // Variables searched in the current stage; the others hold base().
  const std::vector<bool>& searchable() const { return searchable_; }
  const Architecture& base() const { return base_; }
  // The default choices of the group not searched in stage 1.
  const Architecture& defaults() const { return defaults_; }
  std::size_t stage_budget(int stage) const { return budget_[stage - 1]; }
  std::size_t stage_used() const { return used_; }
  const evolve::Spos& engine() const { return *engine_; }

 private:
  void begin_stage(int stage);
  Architecture fewest_macs_defaults() const;

  PluginConfig config_;
  evolve::SposOptions options_;
  Problem problem_;
  std::function<double(const Evaluation&)> fitness_;
  std::function<Metrics(const Architecture&)> early_;
  std::unique_ptr<evolve::Spos> engine_;
  std::size_t split_ = 0;
  bool early_first_ = true;
  int stage_ = 0;
  std::size_t budget_[2] = {0, 0};
  std::size_t used_ = 0;  // new evaluations told in the current stage
  int64_t epochs_[2] = {0, 0};
  SubSpace subspace_;
  std::vector<bool> searchable_;
  Architecture base_;
  Architecture defaults_;
};

}  // namespace nasctl::search::hurricane
