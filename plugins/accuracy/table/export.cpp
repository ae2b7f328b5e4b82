// Plugin entry points of the "table" accuracy source.
#include "nasctl/export.hpp"
#include "table_source.hpp"

NASCTL_ACCURACY_PLUGIN(nasctl::accuracy::table::TableSource, "table", "1.0.0",
                       "Metrics looked up in CSV tables of measured architectures (e.g. DyNAS-T's)")
