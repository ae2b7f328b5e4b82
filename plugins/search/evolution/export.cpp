// Plugin entry point: the descriptor and factory of the evolution strategy.
#include "evolution.hpp"
#include "nasctl/export.hpp"

namespace {

nasctl::PluginInfo describe() {
  return {"evolution", "1.0.0",
          "SPOS evolution: single objective (first objective or weighted sum), top-k parents, mutation and "
          "crossover, hard constraints re-drawn",
          nasctl::search::EvolutionStrategy::config_keys()};
}

}  // namespace

NASCTL_EXPORT_SEARCH(nasctl::search::EvolutionStrategy, describe)
