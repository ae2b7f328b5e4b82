// The generators of a run. Every random choice of epoch e, step s comes from
// a generator seeded by (seed, e, s, purpose) through SplitMix64's mixing,
// never from one long stream: a run resumed after any epoch draws exactly
// what the uninterrupted run drew, with no generator state to save.
#pragma once

#include <cstdint>

#include "nasctl/rng.hpp"
#include "nasctl/seed_stream.hpp"

namespace nasctl::train::detail {

enum class Purpose : uint64_t { Weights = 1, EpochOrder = 2, SubNetworks = 3, Augmentation = 4, Validation = 5 };

inline uint64_t mix(uint64_t x) { return stream_seed(x, 0); }

inline uint64_t derived_seed(uint64_t seed, Purpose purpose, uint64_t epoch = 0, uint64_t step = 0) {
  return mix(mix(mix(mix(seed) ^ static_cast<uint64_t>(purpose)) ^ epoch) ^ step);
}

inline Rng derived_rng(uint64_t seed, Purpose purpose, uint64_t epoch = 0, uint64_t step = 0) {
  return Rng(derived_seed(seed, purpose, epoch, step));
}

}  // namespace nasctl::train::detail
