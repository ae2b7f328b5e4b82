// The linas search plugin: its descriptor and export. The strategy itself is
// in linas.cpp (compiled into the tests directly).
#include "linas.hpp"
#include "nasctl/export.hpp"

namespace {

nasctl::PluginInfo describe() {
  return {"linas", "1.0.0",
          "LINAS (DyNAS-T): random population, then per iteration predictors fitted on every measurement drive an "
          "inner NSGA-II whose final population is measured",
          nasctl::search::linas::config_keys()};
}

}  // namespace

NASCTL_EXPORT_SEARCH(nasctl::search::linas::Linas, describe)
