// Plugin export of LutModel (kept apart so tests compile the class alone).
#include "lut_model.hpp"
#include "nasctl/export.hpp"

NASCTL_HARDWARE_PLUGIN(nasctl::hardware::lut::LutModel, "lut", "1.0.0",
                       "Latency as the calibrated sum of per-layer lookup-table entries measured on the device (nasctl lut build)")
