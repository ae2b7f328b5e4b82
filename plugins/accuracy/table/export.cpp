// Plugin entry points of the "table" accuracy source.
#include "nasctl/export.hpp"

#include "table_source.hpp"

nasctl::PluginInfo describe() {
  return {"table", "1.0.0", "Metrics looked up in CSV tables of measured architectures (e.g. DyNAS-T's)",
          nasctl::accuracy::TableSource::config_keys()};
}

NASCTL_EXPORT_ACCURACY(nasctl::accuracy::TableSource, describe)
