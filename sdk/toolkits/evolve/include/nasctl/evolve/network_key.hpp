// Identity of a network for deduplication inside a strategy: the bytes of
// its canonical choice vector. Same equivalence as the canonical text form
// (two architectures are one network iff their canonical vectors are equal)
// at a fraction of the cost, which matters in inner searches that dedup tens
// of thousands of candidates.
#pragma once

#include <string>

#include "nasctl/search_space.hpp"

namespace nasctl::evolve {

inline std::string network_key(const SearchSpace& space, const Architecture& arch) {
  const Architecture canonical = space.canonicalize(arch);
  return std::string(reinterpret_cast<const char*>(canonical.data()), canonical.size() * sizeof(int));
}

}  // namespace nasctl::evolve
