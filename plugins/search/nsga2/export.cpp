// The nsga2 search plugin: configuration and the SearchStrategy adapter.
#include "nasctl/export.hpp"
#include "nasctl/evolve/nsga2.hpp"

namespace {

class Nsga2Strategy : public nasctl::SearchStrategy {
 public:
  explicit Nsga2Strategy(const nasctl::PluginContext& ctx) : nsga2_(options(ctx.config)) {}

  void start(const nasctl::Problem& problem) override { nsga2_.start(*problem.space, problem.seed); }
  std::vector<nasctl::Architecture> ask(std::size_t n) override { return nsga2_.ask(n); }
  void tell(const std::vector<nasctl::Evaluation>& results) override { nsga2_.tell(results); }
  std::size_t preferred_batch() const override { return population_; }

 private:
  nasctl::evolve::Nsga2Options options(const nasctl::PluginConfig& c) {
    nasctl::evolve::Nsga2Options o;
    o.population = population_ = static_cast<std::size_t>(c.get_int("population"));
    o.crossover_prob = c.get_double("crossover_prob");
    if (c.has("mutation_prob")) o.mutation_prob = c.get_double("mutation_prob");
    o.max_redraws = static_cast<int>(c.get_int("max_redraws"));
    return o;
  }
  std::size_t population_ = 0;
  nasctl::evolve::Nsga2 nsga2_;
};

nasctl::PluginInfo describe() {
  using nasctl::ConfigKey;
  auto mutation = ConfigKey::optional("mutation_prob", nasctl::ConfigType::Float,
                                      "Per-variable mutation probability (default: 1 / number of variables)");
  mutation.min = 0.0;
  mutation.max = 1.0;
  return {"nsga2",
          "1.0.0",
          "NSGA-II: non-dominated sorting genetic algorithm with constraint domination",
          {ConfigKey::integer("population", 50, "Population size; also the offspring per generation").at_least(4),
           ConfigKey::real("crossover_prob", 0.9, "Probability that two parents are crossed (uniform crossover)").at_least(0).at_most(1),
           mutation,
           ConfigKey::integer("max_redraws", 20, "Re-mutations of an offspring already proposed before accepting a repeat").at_least(0)}};
}

}  // namespace

NASCTL_EXPORT_SEARCH(Nsga2Strategy, describe)
