// Numbers as the report prints them in titles and tables.
#include <cmath>
#include <cstdio>

#include "nasctl/report/plots.hpp"

namespace nasctl::report {

std::string format_value(double value) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return buf;
}

}  // namespace nasctl::report
