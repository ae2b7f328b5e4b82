// Which sub-networks a training step may use. Every decision variable's
// choices are ordered from largest to smallest (numeric choices by value,
// as Once-for-All's kernel, expand and depth; nominal choices, such as
// HURRICANE's operators, by the multiply-accumulates of the network they
// give), so "the largest sub-network", "the smallest" and "the variables not
// yet elastic held at their largest" mean the same for every space. No
// LibTorch here.
#pragma once

#include <string>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/train/options.hpp"

namespace nasctl {
class SearchSpace;
}

namespace nasctl::train {

// For each variable, the choice indices a phase allows, largest first.
struct PhaseChoices {
  std::vector<std::vector<int>> allowed;
};

class ElasticSpace {
 public:
  // Orders every variable's choices. `space` must outlive this object.
  explicit ElasticSpace(const SearchSpace& space);

  const SearchSpace& space() const { return *space_; }
  // Choice indices of variable `v`, largest first.
  const std::vector<int>& order(std::size_t v) const { return order_[v]; }

  // The choices a phase allows: the entries of `elastic` (Phase::elastic's
  // syntax) may take their choices, every other variable only its largest.
  // Throws nasctl::Error, one line naming the entry and the space's
  // variables, for a name that is neither a variable nor a family of them,
  // or a ":N" that is not 1 .. the number of choices.
  PhaseChoices phase(const std::vector<std::string>& elastic) const;
  // As phase(elastic), but every variable the entries do not name is held
  // at `held`'s choice instead of its largest (a sub-space of the space).
  PhaseChoices phase(const std::vector<std::string>& elastic, const Architecture& held) const;
  // Every variable elastic with all its choices.
  PhaseChoices all() const;
  // Only `arch`'s choices: every draw is that one sub-network.
  PhaseChoices fixed(const Architecture& arch) const;

  Architecture largest(const PhaseChoices& choices) const;
  Architecture smallest(const PhaseChoices& choices) const;
  // Each variable drawn uniformly from its allowed choices.
  Architecture random(const PhaseChoices& choices, Rng& rng) const;

  // "ks (ks0..ks19), e (e0..e19), d (d0..d4), r": for messages.
  std::string variables_text() const;

  // The variables whose choice changes the size of the networks' input
  // images (ofa-mobilenetv3's r): elastic resolution. Found by lowering.
  const std::vector<std::size_t>& input_variables() const { return input_variables_; }
  // The height of the images `arch`'s network takes.
  int input_size(const Architecture& arch) const;
  // Every input size the choices allow, largest first.
  std::vector<int> input_sizes(const PhaseChoices& choices) const;

 private:
  PhaseChoices with_elastic(const std::vector<std::string>& elastic, PhaseChoices held) const;

  const SearchSpace* space_;
  std::vector<std::vector<int>> order_;
  std::vector<std::size_t> input_variables_;
};

// The sub-networks of one step, in the order they are trained: SPOS one
// random one; sandwich the largest, the smallest, then `random_count` random
// ones (the largest first, so the others can learn from its outputs), each
// once: one drawn again is left out (in a phase with nothing elastic the
// sandwich is the largest alone). All canonical (SearchSpace::canonicalize).
// Elastic resolution: every sub-network of a step takes images of one size,
// as Once-for-All reads each batch at one size for all the sub-networks it
// trains on it. SPOS's sub-network draws it with its other variables; the
// sandwich draws it once per step, after its random sub-networks, uniformly
// from the allowed choices, and sets it in all of them (the largest is then
// the largest at the step's resolution). Without an elastic input variable
// nothing more is drawn.
std::vector<Architecture> step_architectures(const ElasticSpace& space, const PhaseChoices& choices, Sampler sampler,
                                             int64_t random_count, Rng& rng);

}  // namespace nasctl::train
