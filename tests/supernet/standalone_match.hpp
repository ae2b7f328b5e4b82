// The sub-network / stand-alone network agreement every space's
// WeightSharing face must meet (test_supernet, test_ofa_resnet50_supernet):
// an activated sub-network holds exactly the tensors, under the same names
// and with the same shapes, that the stand-alone network built from its
// NetworkSpec has, and as many parameters as the NetworkSpec counts.
#pragma once

#include <set>
#include <string>

#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/eager_network.hpp"

namespace nasctl::test {

inline void check_tensors_match_standalone(const supernet::SubNetwork& sub) {
  const libtorch::EagerNetwork standalone(sub.spec(), 0);
  const supernet::StateDict state = sub.state_dict();
  std::set<std::string> seen;
  const auto check = [&](const auto& items) {
    for (const auto& item : items) {
      REQUIRE(state.contains(item.key()));
      CHECK(state.at(item.key()).sizes() == item.value().sizes());
      seen.insert(item.key());
    }
  };
  check(standalone.named_parameters());
  check(standalone.named_buffers());
  CHECK(seen.size() == state.size());
  CHECK(sub.parameter_count() == libtorch::parameter_count(standalone));
  CHECK(sub.parameter_count() == count_cost(sub.spec()).params);
}

}  // namespace nasctl::test
