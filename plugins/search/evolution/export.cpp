// Plugin entry point: the descriptor and factory of the evolution strategy.
#include "evolution.hpp"
#include "nasctl/export.hpp"

NASCTL_SEARCH_PLUGIN(nasctl::search::evolution::EvolutionStrategy, "evolution", "1.0.0",
                     "SPOS evolution: single objective (first objective or weighted sum), top-k parents, mutation and "
                     "crossover, hard constraints re-drawn")
