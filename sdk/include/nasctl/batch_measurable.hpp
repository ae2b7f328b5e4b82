// BatchMeasurable: an optional face of a HardwareModel that measures several
// networks together.
//
// On a machine other processes share, the load changes while a measurement
// runs; timed one after another, the networks measured during a busy spell
// come out slow and are mis-ranked against the rest. A plugin that can
// interleave its timing (visit the networks round robin, a few runs each,
// until each is measured well enough) implements this face; `nasctl lut
// check` and the run loop reach it with dynamic_cast from the HardwareModel
// they loaded and hand it all the networks of a check pass or of a batch of
// candidates. Plugins without it get evaluate() once per network.
//
// An additive face: plugins built before it exist are unaffected, so it
// needs no new kSdkAbiVersion.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "nasctl/metrics.hpp"
#include "nasctl/network_spec.hpp"

namespace nasctl {

class BatchMeasurable {
 public:
  virtual ~BatchMeasurable();  // defined in the SDK library: one type_info for dynamic_cast

  // One network's result: the metrics evaluate() would give, or, when that
  // network could not be measured, the one-line error evaluate() would have
  // thrown (metrics then empty).
  struct Outcome {
    Metrics metrics;
    std::string error;
  };

  // One outcome per network, in order. One network failing does not fail
  // the others. `done(i)`, when set, is called as network i's measurement
  // completes (for progress; the outcomes come back at the end).
  virtual std::vector<Outcome> evaluate_batch(const std::vector<const NetworkSpec*>& networks,
                                              const std::function<void(std::size_t)>& done) = 0;
};

}  // namespace nasctl
