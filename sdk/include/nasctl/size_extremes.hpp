// SizeExtremes: an optional face of a SearchSpace that names its smallest
// and its largest network. `nasctl space info` reports their MACs and
// parameters; only the space knows which choices make a network small (the
// first choice of a variable is not always the cheapest: NAS-Bench-201's
// first operation is `none`, its most expensive one is neither first nor
// last).
//
// A space implements it by deriving from both SearchSpace and SizeExtremes;
// `nasctl space info` reaches it with dynamic_cast, as `lut build` reaches
// LayerEnumerable. Without it, the command says the space does not declare
// its extremes.
#pragma once

#include <string>

#include "nasctl/architecture.hpp"

namespace nasctl {

class SizeExtremes {
 public:
  virtual ~SizeExtremes();  // defined in the SDK library: one type_info for dynamic_cast

  // Architectures of the space as configured with the fewest and with the
  // most MACs (count_cost of lower()); among equal MACs, the fewest / most
  // parameters. Both are valid architectures (check() accepts them).
  virtual Architecture smallest() const = 0;
  virtual Architecture largest() const = 0;

  // The number of distinct networks of the space as configured: the number
  // of classes canonicalize() makes (architectures that differ only in
  // settings the network ignores, such as the kernel of an unused block
  // slot, count once). SearchSpace::size() counts choice vectors, which is
  // more where canonicalize() merges. A decimal string of digits only (the
  // count outgrows every integer type; the SDK stays free of a big-number
  // library); empty, the default, when the space cannot say cheaply, and
  // `nasctl space info` then reports the choice-vector count alone.
  virtual std::string distinct_networks() const { return {}; }
};

}  // namespace nasctl
