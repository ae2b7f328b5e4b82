// The one random engine type shared by spaces and strategies, so that the same
// seed gives the same run on every platform (std::mt19937_64 is specified
// exactly by the standard; the distributions are not, hence the helpers).
#pragma once

#include <cstdint>
#include <random>

namespace nasctl {

using Rng = std::mt19937_64;

// Uniform integer in [0, n), identical on every standard library.
inline int uniform_index(Rng& rng, int n) {
  // Lemire's multiply-shift rejection-free mapping is biased by < 2^-32 for
  // the small n we use; determinism across libraries matters more here.
  __extension__ using u128 = unsigned __int128;  // GCC/Clang; silences -Wpedantic
  return static_cast<int>((static_cast<u128>(rng()) * static_cast<unsigned>(n)) >> 64);
}

// Uniform double in [0, 1), identical on every standard library.
inline double uniform_unit(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace nasctl
