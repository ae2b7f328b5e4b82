// SearchSpace: what a space plugin implements. A space owns the meaning of
// architectures: its variables, validity, text forms, genetic operators,
// numeric encoding for predictors, and lowering to a NetworkSpec.
// Only variables() and lower() are mandatory; the rest has generic defaults.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/rng.hpp"

namespace nasctl {

class SearchSpace : public Plugin {
 public:
  virtual const std::vector<DecisionVariable>& variables() const = 0;
  virtual NetworkSpec lower(const Architecture& arch) const = 0;

  // Canonical text form; parse(to_string(a)) == canonicalize(a).
  // Default: "name=label;name=label;...".
  virtual std::string to_string(const Architecture& arch) const;
  // Accepts the canonical form and any foreign forms the space knows.
  // Throws ArchitectureError naming what is wrong and the expected form.
  virtual Architecture parse(std::string_view text) const;

  // Maps architectures that denote the same network to one representative
  // (e.g. settings of unused block slots). Dedup and tables use it.
  virtual Architecture canonicalize(const Architecture& arch) const { return arch; }

  // Throws ArchitectureError if arch has the wrong length or a choice out of
  // range. Override to add space-specific rules (and call the base).
  virtual void check(const Architecture& arch) const;

  virtual Architecture sample(Rng& rng) const;
  // Each variable is redrawn (to a different choice) with probability p.
  virtual Architecture mutate(const Architecture& arch, double p, Rng& rng) const;
  // Uniform crossover: each variable from either parent with probability 1/2.
  virtual std::pair<Architecture, Architecture> crossover(const Architecture& a,
                                                          const Architecture& b, Rng& rng) const;

  // Numeric features for predictors. Default: one-hot per variable.
  virtual std::vector<double> encode(const Architecture& arch) const;
  std::size_t encoding_size() const;

  // Total number of architectures (as a double: spaces are huge).
  double size() const;
};

}  // namespace nasctl
