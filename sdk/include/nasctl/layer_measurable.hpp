// LayerMeasurable: an optional face of a HardwareModel that measures one
// layer for a latency lookup table the way the layer runs inside a network.
//
// `nasctl lut build` times every layer signature as a network holding only
// that layer. Timed alone, a layer also carries the fixed cost of one
// inference (a graph launch and synchronisation on a GPU, an interpreter
// call on a CPU), which a whole network pays once; on an H100 that cost is
// most of a small layer's time and reorders networks whose layer counts
// differ. A plugin that can amortise it (e.g. run the layer many times back
// to back) implements this face; `lut build` reaches it with dynamic_cast
// from the HardwareModel it loaded and uses evaluate() for plugins without.
#pragma once

#include <string>

#include "nasctl/metrics.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl {

class LayerMeasurable {
 public:
  virtual ~LayerMeasurable();  // defined in the SDK library: one type_info for dynamic_cast

  // The metrics evaluate() would give, per pass of the layer, measured so
  // that they add up over a network's layers. `isolated` holds the one layer
  // (its other layers, if any, only feed it its inputs: see
  // nasctl::lut::isolated_network).
  virtual Metrics evaluate_layer(const NetworkSpec& isolated) = 0;

  // How layers are measured, one line for the table's header, e.g. "20
  // passes back to back in one CUDA graph, per-pass share".
  virtual std::string layer_protocol() const = 0;
};

}  // namespace nasctl
