// Plugin export of RooflineModel (kept apart so tests compile the class alone).
#include "nasctl/export.hpp"
#include "roofline.hpp"

NASCTL_HARDWARE_PLUGIN(nasctl::hardware::roofline::RooflineModel, "roofline", "1.0.0",
                       "Latency (and energy) ESTIMATED from a device profile: per-op-class peak rates, memory bandwidth, "
                       "per-layer overhead")
