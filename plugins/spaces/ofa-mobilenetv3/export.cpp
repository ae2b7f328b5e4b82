// Plugin entry point: the descriptor and factory of the OFA MobileNetV3 space.
#include "nasctl/export.hpp"
#include "ofa_mobilenetv3.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3, "ofa-mobilenetv3", "1.0.0",
                    "Once-for-All MobileNetV3 (DyNAS-T ofa_mbv3_d234_e346_k357): kernel 3/5/7, expand 3/4/6, depth 2/3/4 per "
                    "stage, resolution")
