// The tensors a super-network holds, with the space's description of each
// and a lookup by checkpoint name or alias. Sub-networks hold the store by
// shared_ptr, so it lives as long as any of them.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "nasctl/weight_sharing.hpp"

namespace nasctl::supernet::detail {

struct SharedStore {
  std::string name;                        // WeightSharing::supernet_name()
  std::vector<SharedTensor> described;     // WeightSharing::shared_tensors()
  std::vector<at::Tensor> tensors;         // same order
  std::unordered_map<std::string, int> by_name;  // names and aliases

  // Index of `name` (a name or an alias), or -1.
  int find(const std::string& name) const {
    const auto it = by_name.find(name);
    return it == by_name.end() ? -1 : it->second;
  }
};

// The store described by `sharing`, tensors not yet allocated. Throws
// nasctl::Error when two tensors share a name or alias (a space bug).
SharedStore describe_store(const WeightSharing& sharing);

// Allocates every tensor on the CPU and initialises it as Once-for-All's
// init_model("he_fout") does, drawing from `seed`.
void initialise_store(SharedStore& store, uint64_t seed);

// "[96, 1, 7, 7]"
std::string shape_text(const std::vector<int64_t>& shape);

}  // namespace nasctl::supernet::detail
