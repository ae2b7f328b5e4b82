// Plugin entry points of the "predictor" accuracy source.
#include "nasctl/export.hpp"
#include "predictor_source.hpp"

NASCTL_ACCURACY_PLUGIN(nasctl::accuracy::predictor::PredictorSource, "predictor", "1.0.0",
                       "Metrics predicted (as <metric>_pred) by cross-validated ridge regression fitted on CSV tables of "
                       "measured architectures")
