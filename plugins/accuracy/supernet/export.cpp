// Plugin entry points of the "supernet" accuracy source.
#include "nasctl/export.hpp"
#include "supernet_source.hpp"

NASCTL_ACCURACY_PLUGIN(nasctl::accuracy::supernet::SupernetSource, "supernet", "1.0.0",
                       "Top-1, top-5 and loss of each architecture as a sub-network of a trained super-network "
                       "checkpoint, batch norms re-calibrated as Once-for-All does")
