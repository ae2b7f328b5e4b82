// LayerEnumerable: an optional face of a SearchSpace that lists every
// distinct layer its lower() can produce. A latency lookup table needs one
// entry per layer signature (Layer::key()); only the space knows its
// structure well enough to list them exactly (OFA MobileNetV3 has ~10^19
// architectures but a few hundred signatures per resolution).
//
// A space implements it by deriving from both SearchSpace and
// LayerEnumerable; `nasctl lut build` reaches it with dynamic_cast from the
// SearchSpace a session loaded. Spaces without it are sampled instead, with
// a warning that the table may miss signatures.
#pragma once

#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl {

class LayerEnumerable {
 public:
  virtual ~LayerEnumerable();  // defined in the SDK library: one type_info for dynamic_cast

  // Exactly the layers that occur in lower(a) for some valid architecture a
  // of the space as configured: every signature present (a LUT built from it
  // covers every network), none that no network contains (no measurement is
  // wasted), each once (distinct Layer::key()). Deterministic order.
  // A layer's `inputs` has one entry per input of the layer (the indices mean
  // nothing outside its network; only their number is part of the key).
  virtual std::vector<Layer> distinct_layers() const = 0;
};

}  // namespace nasctl
