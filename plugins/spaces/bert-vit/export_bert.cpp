// Plugin entry point: the descriptor and factory of the bert-base space.
#include "encoder_space.hpp"
#include "nasctl/export.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::bert_vit::BertBase, "bert-base", "1.0.0",
                    "BERT-base on SST-2 (DyNAS-T bert_base_sst2): depth 6..12, per-layer heads 6/8/10/12 (64 wide) "
                    "and intermediate width 1024/2048/3072")
