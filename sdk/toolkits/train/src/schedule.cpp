#include "nasctl/train/schedule.hpp"

#include <algorithm>
#include <cmath>

namespace nasctl::train {

double learning_rate(const Schedule& schedule, int64_t step) {
  if (step < schedule.warmup_steps)
    return schedule.peak * static_cast<double>(step + 1) / static_cast<double>(schedule.warmup_steps);
  const int64_t decay_steps = std::max<int64_t>(1, schedule.total_steps - schedule.warmup_steps);
  const double t = std::min(1.0, static_cast<double>(step - schedule.warmup_steps) / static_cast<double>(decay_steps));
  return schedule.peak * 0.5 * (1.0 + std::cos(M_PI * t));
}

}  // namespace nasctl::train
