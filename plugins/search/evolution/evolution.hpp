// The `evolution` search plugin: single-objective, constraint-aware SPOS
// evolution (nasctl/evolve/spos.hpp) behind the SearchStrategy contract.
#pragma once

#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/evolve/spos.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_strategy.hpp"

namespace nasctl::search::evolution {

class EvolutionStrategy : public SearchStrategy {
 public:
  explicit EvolutionStrategy(const PluginContext& context);
  static std::vector<ConfigKey> config_keys();

  // Throws ConfigError when the weights, the pre-filter or the budget do not
  // fit the problem (a budget below the population never gets past the
  // random first iteration).
  void start(const Problem& problem) override;
  std::vector<Architecture> ask(std::size_t n) override { return engine_.ask(n); }
  void tell(const std::vector<Evaluation>& results) override { engine_.tell(results); }
  std::size_t preferred_batch() const override { return options_.population; }
  bool exhausted() const override { return engine_.exhausted(); }

  const evolve::Spos& engine() const { return engine_; }

 private:
  PluginConfig config_;  // kept: start() reports problems against its keys
  evolve::SposOptions options_;
  evolve::Spos engine_;
};

}  // namespace nasctl::search::evolution
