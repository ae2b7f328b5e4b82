// Plugin entry point: the descriptor and factory of the NAS-Bench-201 space.
#include "nasbench201_space.hpp"
#include "nasctl/export.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::nasbench201::NasBench201, "nasbench201", "1.0.0",
                    "NAS-Bench-201: one 4-node cell, 6 edges of none/skip_connect/nor_conv_1x1/nor_conv_3x3/"
                    "avg_pool_3x3 (15,625 cells) in the benchmark's CIFAR skeleton (16/32/64 channels, 5 cells per "
                    "stage, residual reductions)")
