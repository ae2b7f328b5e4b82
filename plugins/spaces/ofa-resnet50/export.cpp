// Plugin entry point: the descriptor and factory of the OFA ResNet50 space.
#include "nasctl/export.hpp"
#include "ofa_resnet50.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::ofa_resnet50::OfaResNet50, "ofa-resnet50", "1.1.0",
                    "Once-for-All ResNet50 (DyNAS-T ofa_resnet50): depth 0/1/2 per stage and the stem block, "
                    "bottleneck expand 0.2/0.25/0.35, width 0.65/0.8/1.0 (configurable), resolution; "
                    "OFA's weight-sharing super-network (checkpoints, training)")
