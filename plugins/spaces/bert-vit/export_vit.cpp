// Plugin entry point: the descriptor and factory of the vit-base space.
#include "encoder_space.hpp"
#include "nasctl/export.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::bert_vit::VitBase, "vit-base", "1.0.0",
                    "ViT-B/16 on ImageNet (DyNAS-T vit_base_imagenet): depth 10..12, per-layer heads 6/8/10/12 "
                    "(64 wide) and intermediate width 1024/2048/3072")
