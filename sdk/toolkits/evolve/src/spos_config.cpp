#include "nasctl/evolve/spos_config.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::evolve {

std::vector<ConfigKey> spos_config_keys() {
  auto weights = ConfigKey::optional(
      "weights", ConfigType::FloatList,
      "One weight (>= 0) per objective: minimise sum(weight * objective), objectives in minimisation form "
      "(maximised metrics negated). Absent: the first objective alone");
  weights.min = 0.0;
  return {
      ConfigKey::integer("population", 50, "Architectures per iteration (the first is random)").at_least(1),
      ConfigKey::integer("parents", 10, "Top-k feasible architectures that breed each iteration").at_least(1),
      ConfigKey::integer("mutations", 25, "Children by mutation per iteration").at_least(0),
      ConfigKey::integer("crossovers", 25, "Children by uniform crossover per iteration").at_least(0),
      ConfigKey::real("mutation_prob", 0.1, "Probability that a mutation redraws each variable").at_least(0).at_most(1),
      ConfigKey::integer("redraws", 3,
                         "Re-draws per slot of an iteration when an evaluated candidate breaks a hard constraint; "
                         "a first iteration without any feasible result declares the constraint unsatisfiable")
          .at_least(0),
      ConfigKey::integer("max_tries", 100, "Draws per slot to find a candidate never proposed that passes the pre-filter")
          .at_least(1),
      weights,
      ConfigKey::table("prefilter",
                       "Constraint metric -> \"macs\" or \"params\": check that constraint on the lowered network "
                       "before proposing (no evaluation spent), e.g. prefilter = { \"hw.macs\" = \"macs\" }"),
  };
}

SposOptions spos_options(const PluginConfig& config) {
  SposOptions o;
  o.population = static_cast<std::size_t>(config.get_int("population"));
  o.parents = static_cast<std::size_t>(config.get_int("parents"));
  o.mutations = static_cast<std::size_t>(config.get_int("mutations"));
  o.crossovers = static_cast<std::size_t>(config.get_int("crossovers"));
  o.mutation_prob = config.get_double("mutation_prob");
  o.redraws = static_cast<int>(config.get_int("redraws"));
  o.max_tries = static_cast<int>(config.get_int("max_tries"));
  return o;
}

std::function<double(const Evaluation&)> make_fitness(const Problem& problem, const PluginConfig& config) {
  const std::size_t n = problem.objectives.size();
  if (n == 0) config.fail("weights", "the config has no objectives; fix: add an [[objectives]] entry");
  if (!config.has("weights")) return [](const Evaluation& e) { return e.objectives.at(0); };
  const std::vector<double> weights = config.get_doubles("weights");
  if (weights.size() != n)
    config.fail("weights", "has " + std::to_string(weights.size()) + " weights for " + std::to_string(n) +
                               " objectives; fix: give one weight per [[objectives]] entry, in their order");
  if (std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0.0; }))
    config.fail("weights", "are all 0, so every architecture scores the same; fix: give at least one weight > 0");
  return [weights](const Evaluation& e) {
    double sum = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (weights[i] != 0.0) sum += weights[i] * e.objectives.at(i);
    }
    return sum;
  };
}

std::function<Metrics(const Architecture&)> make_early_metrics(const Problem& problem, const PluginConfig& config) {
  if (!config.has("prefilter")) return {};
  const StringTable& table = config.get_table("prefilter");
  if (table.empty()) return {};
  std::vector<std::pair<std::string, bool>> counts;  // metric, true = MACs / false = parameters
  for (const auto& entry : table) {
    // Named copies, not a structured binding: clang before 16 (the fuzz
    // build) cannot capture a binding in the lambda below.
    const std::string& metric = entry.first;
    const std::string& count = entry.second;
    const bool constrained = std::any_of(problem.constraints.begin(), problem.constraints.end(),
                                         [&](const Constraint& c) { return c.metric == metric; });
    if (!constrained)
      config.fail("prefilter", "names '" + metric +
                                   "', which no [[constraints]] entry uses; fix: map the metric of a constraint, "
                                   "e.g. prefilter = { \"hw.macs\" = \"macs\" }");
    if (count != "macs" && count != "params")
      config.fail("prefilter", "maps '" + metric + "' to \"" + count + "\"; fix: use \"macs\" or \"params\"");
    counts.emplace_back(metric, count == "macs");
  }
  const SearchSpace* space = problem.space;
  return [space, counts](const Architecture& arch) {
    const NetworkCost cost = count_cost(space->lower(arch));
    Metrics m;
    for (const auto& [metric, macs] : counts) m[metric] = static_cast<double>(macs ? cost.macs : cost.params);
    return m;
  };
}

}  // namespace nasctl::evolve
