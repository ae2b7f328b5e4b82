// Plugin export of the hardware "predictor" (an accuracy plugin of the same
// name exists; kinds keep the two apart).
#include "latency_predictor.hpp"
#include "nasctl/export.hpp"

NASCTL_HARDWARE_PLUGIN(nasctl::hardware::predictor::LatencyPredictor, "predictor", "1.0.0",
                       "Latency (or any metric) learned from measured samples on architecture and network features, with "
                       "cross-validated MAPE / +-10% / Kendall tau and a versioned model file")
