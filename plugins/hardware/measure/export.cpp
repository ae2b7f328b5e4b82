// Plugin export of MeasureModel (kept apart so tests compile the class alone).
#include "measure.hpp"
#include "nasctl/export.hpp"

namespace {

nasctl::PluginInfo describe() {
  return {"measure", "1.1.0", "Real latency measured with LibTorch on this machine's CPU or CUDA GPU",
          nasctl::hardware::measure::MeasureModel::config_keys()};
}

}  // namespace

NASCTL_EXPORT_HARDWARE(nasctl::hardware::measure::MeasureModel, describe)
