// The layers a lookup table needs, and each layer alone as a network to
// measure it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::lut {

// A network whose input is the layer's input and whose last layer is the
// layer, with the same key. Multi-input layers read the network input for
// every input: an Add of x + x costs what an Add of two tensors of that shape
// costs. A Concat whose inputs differ in width is fed channel slices of an
// input as wide as its output (slices are views: they add no work). Throws
// Error when the layer cannot be isolated.
NetworkSpec isolated_network(const Layer& layer);


struct LayerEnumeration {
  std::vector<Layer> layers;  // distinct by key, deterministic order
  bool exact = false;         // from LayerEnumerable; false: sampled
  std::size_t samples = 0;    // architectures lowered when sampled
  // New signatures found in the last 10% of the samples: how far from
  // saturation the sample was (0 does not prove completeness).
  std::size_t late_discoveries = 0;
};

// Every distinct layer of the space: exactly when it implements
// nasctl::LayerEnumerable, otherwise from `samples` random architectures.
LayerEnumeration enumerate_layers(const SearchSpace& space, std::size_t samples, uint64_t seed);

}  // namespace nasctl::lut
