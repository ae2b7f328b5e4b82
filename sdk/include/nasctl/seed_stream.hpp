// One seed split into many independent ones: SplitMix64 (Steele, Lea and
// Flood, 2014), whose index-th output from `seed` seeds the index-th stream.
// Neighbouring indices give unrelated values, so per-item or per-iteration
// engines seeded from it do not correlate; the same on every platform.
#pragma once

#include <cstdint>

namespace nasctl {

inline std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace nasctl
