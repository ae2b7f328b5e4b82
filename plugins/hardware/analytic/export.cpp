// Plugin entry point: the descriptor and factory of the analytic model.
#include "analytic.hpp"
#include "nasctl/export.hpp"

namespace {

nasctl::PluginInfo describe() {
  return {"analytic", "1.0.0", "Exact counts from the network spec: MACs, parameters, peak activation bytes",
          nasctl::hardware::AnalyticModel::config_keys()};
}

}  // namespace

NASCTL_EXPORT_HARDWARE(nasctl::hardware::AnalyticModel, describe)
