#include "evolution.hpp"

#include <string>

#include "nasctl/evolve/spos_config.hpp"

namespace nasctl::search::evolution {

std::vector<ConfigKey> EvolutionStrategy::config_keys() { return evolve::spos_config_keys(); }

EvolutionStrategy::EvolutionStrategy(const PluginContext& context)
    : config_(context.config), options_(evolve::spos_options(context.config)), engine_(options_) {}

void EvolutionStrategy::start(const Problem& problem) {
  if (problem.evaluation_budget > 0 && problem.evaluation_budget < options_.population)
    config_.fail("population", std::to_string(options_.population) + " is more than budget.evaluations = " +
                                   std::to_string(problem.evaluation_budget) +
                                   ", so the search would end inside its random first iteration; fix: lower "
                                   "search.population (e.g. to " + std::to_string(problem.evaluation_budget / 4 + 1) +
                                   ") or raise budget.evaluations");
  evolve::SposProblem p;
  p.space = problem.space;
  p.constraints = problem.constraints;
  p.fitness = evolve::make_fitness(problem, config_);
  p.early_metrics = evolve::make_early_metrics(problem, config_);
  p.seed = problem.seed;
  p.who = "evolution";
  engine_.start(std::move(p));
}

}  // namespace nasctl::search::evolution
