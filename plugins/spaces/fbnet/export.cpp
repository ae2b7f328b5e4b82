// Plugin entry point: the descriptor and factory of the FBNet space.
#include "fbnet_space.hpp"
#include "nasctl/export.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::fbnet::FbnetSpace, "fbnet", "1.0.0",
                    "FBNet space as HW-NAS-Bench defines it: 22 blocks, each one of 9 candidates (k3/k5, expansion "
                    "1/3/6, group-2 variants, skip), CIFAR-100 32x32 or ImageNet 224x224 layout")
