// A four-variable search space (36 distinct networks) for tests of
// table-driven accuracy sources: kernel sizes k0, k1 in {3, 5, 7}, an expand
// ratio e in {3, 4, 6} and a depth d in {1, 2}. With d = 1 the second layer is
// absent, so canonicalize() resets k1, and "k0=3;k1=5;e=3;d=1" denotes the
// same network as "k0=3;k1=3;e=3;d=1" (tables must merge the two).
#pragma once

#include <string>
#include <vector>

#include "nasctl/network_spec.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::test {

class TinySpace : public SearchSpace {
 public:
  TinySpace()
      : variables_{numeric_variable("k0", {3, 5, 7}), numeric_variable("k1", {3, 5, 7}),
                   numeric_variable("e", {3, 4, 6}), numeric_variable("d", {1, 2})} {}

  const std::vector<DecisionVariable>& variables() const override { return variables_; }

  Architecture canonicalize(const Architecture& arch) const override {
    Architecture out = arch;
    if (out[3] == 0) out[1] = 0;
    return out;
  }

  NetworkSpec lower(const Architecture& arch) const override {
    check(arch);
    const auto kernel = [&](int i) { return static_cast<int>(variables_[i].values[arch[i]]); };
    const auto width = static_cast<int64_t>(4 * variables_[2].values[arch[2]]);
    NetworkBuilder b("tiny", {3, 16, 16});
    b.conv(width, kernel(0), 2, 1, true, ActivationKind::ReLU);
    if (arch[3] == 1) b.conv(width, kernel(1), 1, 1, true, ActivationKind::ReLU);
    b.global_avg_pool();
    b.linear(10, true);
    return std::move(b).finish();
  }

  // Every distinct (canonical) architecture of the space.
  std::vector<Architecture> all() const {
    std::vector<Architecture> out;
    for (int k0 = 0; k0 < 3; ++k0)
      for (int k1 = 0; k1 < 3; ++k1)
        for (int e = 0; e < 3; ++e)
          for (int d = 0; d < 2; ++d) {
            if (d == 0 && k1 != 0) continue;
            out.push_back({k0, k1, e, d});
          }
    return out;
  }

 private:
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::test
