// Plugin entry points of the "predictor" accuracy source.
#include "nasctl/export.hpp"

#include "predictor_source.hpp"

nasctl::PluginInfo describe() {
  return {"predictor", "1.0.0",
          "Metrics predicted (as <metric>_pred) by cross-validated ridge regression fitted on CSV tables of "
          "measured architectures",
          nasctl::accuracy::PredictorSource::config_keys()};
}

NASCTL_EXPORT_ACCURACY(nasctl::accuracy::PredictorSource, describe)
