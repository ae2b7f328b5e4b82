// The configuration shared by the search plugins built on the SPOS engine
// (`evolution`, and `hurricane` in each of its stages): the keys are declared
// once here, so both plugins document and validate them alike.
//
// Single objective. Without `weights` the engine minimises the first
// objective (in minimisation form: a maximised metric is negated). With
// `weights` (one per objective, >= 0) it minimises
//     sum_i weights[i] * objective_i   (each objective in minimisation form),
// so e.g. objectives [accuracy.top1 max, cpu.latency_ms min] with weights
// [1, 0.5] minimise -top1 + 0.5 * latency_ms. The weights carry the units:
// choose them so one unit of each term is worth the same to you.
//
// Pre-filter (`prefilter`, a table constraint-metric -> "macs" | "params"):
// constraints whose metric is exactly the network's MAC or parameter count
// (e.g. the analytic model's) are checked on the lowered network before a
// candidate is proposed, so candidates that break them cost no evaluation.
// Every evaluated result is cross-checked against the count, so a wrong
// mapping fails loudly instead of filtering on the wrong quantity.
#pragma once

#include <functional>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/evolve/spos.hpp"
#include "nasctl/search_strategy.hpp"

namespace nasctl::evolve {

// population, parents, mutations, crossovers, mutation_prob, redraws,
// max_tries, weights, prefilter.
std::vector<ConfigKey> spos_config_keys();
SposOptions spos_options(const PluginConfig& config);

// The scalar the engine minimises. Throws ConfigError (through
// config.fail("weights", ...)) when the weights do not fit the problem.
std::function<double(const Evaluation&)> make_fitness(const Problem& problem, const PluginConfig& config);

// Metrics computable from the lowered network, per the `prefilter` table;
// empty function when the table is absent. Throws ConfigError when an entry
// names no constraint's metric or an unknown count.
std::function<Metrics(const Architecture&)> make_early_metrics(const Problem& problem, const PluginConfig& config);

}  // namespace nasctl::evolve
