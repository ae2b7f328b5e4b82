// The learning rate of every step: linear warm-up from 0 to the peak, then a
// cosine decay to 0 over the rest of the phase, set per step (not per epoch)
// as Once-for-All and timm do. No LibTorch here.
#pragma once

#include <cstdint>

namespace nasctl::train {

struct Schedule {
  double peak = 0.0;          // the phase's lr
  int64_t warmup_steps = 0;   // steps of the linear warm-up
  int64_t total_steps = 0;    // steps of the phase, warm-up included
};

// The learning rate of step `step` (0-based within the phase): peak * (step +
// 1) / warmup_steps during the warm-up, then peak * (1 + cos(pi * t)) / 2 with
// t the fraction of the decay steps already taken.
double learning_rate(const Schedule& schedule, int64_t step);

}  // namespace nasctl::train
