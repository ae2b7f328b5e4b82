// Plugin entry point: the descriptor and factory of the HURRICANE space.
#include "hurricane_space.hpp"
#include "nasctl/export.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::hurricane::HurricaneSpace, "hurricane", "1.0.0",
                    "HURRICANE: MobileNet-style backbone whose searchable layers (20 by default) each pick one of 43 "
                    "operators (inverted bottlenecks, ShuffleNetV2 units, skip), optionally restricted per device by "
                    "`nasctl space select`")
