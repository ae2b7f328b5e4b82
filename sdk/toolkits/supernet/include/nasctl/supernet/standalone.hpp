// A sub-network as a stand-alone LibTorch module: the EagerNetwork its spec
// builds (nasctl::torch), holding the sub-network's weights and statistics
// instead of seeded ones. What `nasctl export` and latency measurement of a
// trained sub-network start from.
#pragma once

#include <memory>

namespace nasctl::libtorch {
class EagerNetwork;
}

namespace nasctl::supernet {

class SubNetwork;

// Copies `sub`'s tensors (SubNetwork::state_dict) into `net`, whose spec
// must be sub.spec(): every parameter and buffer of `net` gets the tensor
// of its name. Throws nasctl::Error naming the first tensor that is missing
// or differs in shape.
void copy_weights(const SubNetwork& sub, libtorch::EagerNetwork& net);

// A new EagerNetwork(sub.spec()) in eval mode with `sub`'s weights.
std::shared_ptr<libtorch::EagerNetwork> standalone_network(const SubNetwork& sub);

}  // namespace nasctl::supernet
