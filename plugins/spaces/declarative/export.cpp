// Plugin entry point: the descriptor and factory of the declarative space.
#include "declarative_space.hpp"
#include "nasctl/export.hpp"

NASCTL_SPACE_PLUGIN(nasctl::spaces::declarative::DeclarativeSpace, "declarative", "1.0.0",
                    "A super-network written in TOML (file key): decision variables and a layer template whose "
                    "parameters are expressions of them")
