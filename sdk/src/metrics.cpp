#include "nasctl/metrics.hpp"

#include <cmath>

namespace nasctl {

double Constraint::violation(double value) const {
  const double excess = bound == Bound::AtMost ? value - limit : limit - value;
  if (!(excess > 0.0)) return std::isnan(value) ? 1.0 : 0.0;
  const double scale = std::abs(limit);
  return scale > 0.0 ? excess / scale : excess;
}

}  // namespace nasctl
