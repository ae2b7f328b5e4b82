// The bayesian search plugin: configuration and the SearchStrategy adapter.
#include "bayesian.hpp"
#include "nasctl/export.hpp"

namespace {

class BayesianStrategy : public nasctl::SearchStrategy {
 public:
  explicit BayesianStrategy(const nasctl::PluginContext& ctx)
      : config_(ctx.config), batch_(static_cast<std::size_t>(ctx.config.get_int("batch"))), engine_(options(ctx.config)) {}

  void start(const nasctl::Problem& problem) override {
    // Checked here too so the message points at the config file's line.
    const auto objectives = problem.objectives.size();
    if (config_.has("reference") && config_.get_doubles("reference").size() != objectives)
      config_.fail("reference", std::to_string(config_.get_doubles("reference").size()) + " values for " +
                                    std::to_string(objectives) +
                                    " objectives; fix: give one value per objective, in the objectives' order and units");
    const auto initial = static_cast<std::size_t>(config_.get_int("initial"));
    if (problem.evaluation_budget > 0 && problem.evaluation_budget < initial)
      config_.fail("initial", "the initial design of " + std::to_string(initial) +
                                  " random architectures exceeds the evaluation budget of " +
                                  std::to_string(problem.evaluation_budget) +
                                  "; fix: lower search.initial or raise budget.evaluations");
    engine_.start(problem);
  }
  std::vector<nasctl::Architecture> ask(std::size_t n) override { return engine_.ask(n); }
  void tell(const std::vector<nasctl::Evaluation>& results) override { engine_.tell(results); }
  std::size_t preferred_batch() const override { return batch_; }
  bool exhausted() const override { return engine_.exhausted(); }

 private:
  static nasctl::search::bayesian::BayesianOptions options(const nasctl::PluginConfig& c) {
    nasctl::search::bayesian::BayesianOptions o;
    o.initial = static_cast<std::size_t>(c.get_int("initial"));
    if (c.has("reference")) o.reference = c.get_doubles("reference");
    o.reference_margin = c.get_double("reference_margin");
    o.kernel = nasctl::predict::parse_gp_kernel(c.get_string("kernel"));
    o.inner.population = static_cast<std::size_t>(c.get_int("inner_population"));
    o.inner.generations = static_cast<int>(c.get_int("inner_generations"));
    o.mc_samples = static_cast<int>(c.get_int("mc_samples"));
    o.max_redraws = static_cast<int>(c.get_int("max_redraws"));
    return o;
  }

  nasctl::PluginConfig config_;
  std::size_t batch_;
  nasctl::search::bayesian::BayesianOptimisation engine_;
};

nasctl::PluginInfo describe() {
  using nasctl::ConfigKey;
  return {
      "bayesian",
      "1.0.0",
      "Multi-objective Bayesian optimisation: a GP per objective, expected hypervolume improvement, batch by Kriging believer",
      {ConfigKey::integer("initial", 20, "Random architectures measured before the first model-based proposal").at_least(3),
       ConfigKey::integer("batch", 5, "Architectures proposed per ask (Kriging believer batch)").at_least(1),
       ConfigKey::optional("reference", nasctl::ConfigType::FloatList,
                           "Hypervolume reference point, one value per objective in its natural unit and order "
                           "(default: nadir of the observed front + reference_margin x its range)"),
       ConfigKey::real("reference_margin", 0.5, "Margin of the derived reference point, as a share of the front's range").at_least(0),
       ConfigKey::choice("kernel", "matern52", {"matern52", "rbf"}, "GP kernel on the encoded architectures"),
       ConfigKey::integer("inner_population", 64, "Population of the genetic algorithm that maximises the acquisition").at_least(4),
       ConfigKey::integer("inner_generations", 20, "Generations of that genetic algorithm per proposal").at_least(0),
       ConfigKey::integer("mc_samples", 128, "Monte-Carlo samples of the EHVI for 3 or more objectives").at_least(8),
       ConfigKey::integer("max_redraws", 100, "Redraws of an already seen architecture in the random initial design").at_least(0)}};
}

}  // namespace

NASCTL_EXPORT_SEARCH(BayesianStrategy, describe)
