// Text for predictor reports shared by the plugins that fit predictors:
// run.json conditions and log lines want the same formatting everywhere.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "nasctl/metrics.hpp"
#include "nasctl/text.hpp"

namespace nasctl::predict {

// Six significant digits: enough for statistics, short enough for run.json.
inline std::string report_number(double v) { return six_digits(v); }

}  // namespace nasctl::predict
