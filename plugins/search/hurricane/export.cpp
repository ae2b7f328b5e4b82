// Plugin entry point: the descriptor and factory of HURRICANE's two-stage search.
#include "nasctl/export.hpp"
#include "two_stage.hpp"

NASCTL_SEARCH_PLUGIN(nasctl::search::hurricane::TwoStageSearch, "hurricane", "1.0.0",
                     "HURRICANE two-stage search: SPOS evolution over the early (or late) layers with the rest fixed, then over "
                     "the others with stage 1's best fixed; budget split between the stages; each stage's super-network trained "
                     "first by an accuracy source that trains sub-spaces (supernet)")
