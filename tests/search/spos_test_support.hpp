// Shared by the SPOS-based strategy tests (evolution, hurricane): a space
// whose lowered networks' MACs depend on every choice (for the pre-filter and
// "fewest-macs"), single-objective problems on search_test_support's toy
// space, and the plugin construction core does.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"
#include "search_test_support.hpp"

namespace nasctl::test {

// `n` layers, each a 3x3 convolution whose width is chosen among
// {32, 8, 24, 16} (deliberately not sorted, so choice 0 is not the cheapest).
class WidthSpace : public SearchSpace {
 public:
  explicit WidthSpace(int n = 8) {
    for (int i = 0; i < n; ++i) variables_.push_back(numeric_variable("w" + std::to_string(i), {32, 8, 24, 16}));
  }
  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override {
    check(arch);
    NetworkBuilder b("widths", {3, 16, 16});
    for (std::size_t i = 0; i < arch.size(); ++i)
      b.conv(static_cast<int64_t>(variables_[i].values[arch[i]]), 3, 1, 1, true, ActivationKind::ReLU);
    b.global_avg_pool();
    b.linear(10, true);
    return std::move(b).finish();
  }

 private:
  std::vector<DecisionVariable> variables_;
};

// MACs of the lowered network as "hw.macs", and a quality that grows with
// width as "q.score" (maximised): wider is better but costs MACs.
inline Metrics width_metrics(const SearchSpace& space, const Architecture& arch) {
  const NetworkCost cost = count_cost(space.lower(arch));
  double score = 0.0;
  for (std::size_t i = 0; i < arch.size(); ++i) score += std::sqrt(space.variables()[i].values[arch[i]]) * (1.0 + i % 3);
  return {{"hw.macs", static_cast<double>(cost.macs)}, {"q.score", score}};
}

// Single objective on the toy space: minimise toy.error (toy.cost only constrains).
inline Problem toy_single(const SearchSpace& space, uint64_t seed, std::size_t budget,
                          std::vector<Constraint> constraints = {}) {
  Problem p = toy_problem(space, seed, budget, std::move(constraints));
  p.objectives = {{"toy.error", Goal::Minimize}};
  return p;
}

// Constructs a strategy the way core does: declared keys defaulted, then `given`.
template <typename T>
std::unique_ptr<T> make_strategy(const std::map<std::string, ConfigValue>& given = {}) {
  const PluginConfig config = make_config(T::config_keys(), given);
  const PluginContext context{config, "search", 42};
  return std::make_unique<T>(context);
}

inline double best_objective(const std::vector<Evaluation>& evaluated, std::size_t first, std::size_t last,
                             std::size_t objective = 0) {
  double best = 1e300;
  for (std::size_t i = first; i < std::min(last, evaluated.size()); ++i) {
    if (evaluated[i].feasible()) best = std::min(best, evaluated[i].objectives[objective]);
  }
  return best;
}

// The message of the nasctl::Error that f throws, or "no error".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace nasctl::test
