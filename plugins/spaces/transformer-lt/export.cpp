// Plugin entry point: the descriptor and factory of the Transformer-LT space.
#include "nasctl/export.hpp"
#include "transformer_lt.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::transformer_lt::TransformerLT, "transformer-lt", "1.0.0",
                    "HAT's WMT'14 En-De Transformer (DyNAS-T transformer_lt_wmt_en_de): embedding dims, FFN dims, "
                    "heads, decoder depth and arbitrary encoder-decoder attention")
