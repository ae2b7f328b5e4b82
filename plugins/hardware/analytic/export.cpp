// Plugin entry point: the descriptor and factory of the analytic model.
#include "analytic.hpp"
#include "nasctl/export.hpp"

NASCTL_HARDWARE_PLUGIN(nasctl::hardware::analytic::AnalyticModel, "analytic", "1.0.0",
                       "Exact counts from the network spec: MACs, parameters, peak activation bytes")
