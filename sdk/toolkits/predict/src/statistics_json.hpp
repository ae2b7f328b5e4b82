// Statistics in model files (private to the library): NaN is not JSON, so an
// undefined figure (tau of a constant sample, ...) is written as null and
// read back as NaN.
#pragma once

#include <nlohmann/json.hpp>

#include "nasctl/predict/statistics.hpp"

namespace nasctl::predict::detail {

nlohmann::json statistics_json(const Statistics& s);
Statistics statistics_from_json(const nlohmann::json& j);

}  // namespace nasctl::predict::detail
