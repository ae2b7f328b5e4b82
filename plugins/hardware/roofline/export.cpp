// Plugin export of RooflineModel (kept apart so tests compile the class alone).
#include "nasctl/export.hpp"
#include "roofline.hpp"

namespace {

nasctl::PluginInfo describe() {
  return {"roofline", "1.0.0",
          "Latency (and energy) ESTIMATED from a device profile: per-op-class peak rates, memory bandwidth, "
          "per-layer overhead",
          nasctl::roofline::RooflineModel::config_keys()};
}

}  // namespace

NASCTL_EXPORT_HARDWARE(nasctl::roofline::RooflineModel, describe)
