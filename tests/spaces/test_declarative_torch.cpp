// The declarative space's networks as LibTorch modules: for the small CNN
// example (pooling choices, grouped convolutions, squeeze-excite,
// residual adds) the module built from each NetworkSpec has exactly
// count_cost(spec).params parameters, and its forward pass gives the
// output shape the spec states.
#include "../torch/torch_doctest.hpp"

#include <ATen/ATen.h>

#include <string>

#include "declarative_space.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/torch/eager_network.hpp"

using nasctl::spaces::declarative::DeclarativeSpace;

TEST_CASE("declarative torch: the small CNN's smallest, largest and random networks run with the spec's counts") {
  const DeclarativeSpace space(std::string(NASCTL_SOURCE_DIR) + "/examples/spaces/small-cnn.toml");
  std::vector<nasctl::Architecture> archs{space.smallest(), space.largest()};
  nasctl::Rng rng(31);
  for (int i = 0; i < 6; ++i) archs.push_back(space.sample(rng));
  c10::InferenceMode guard;
  for (const nasctl::Architecture& arch : archs) {
    CAPTURE(space.to_string(arch));
    const nasctl::NetworkSpec spec = space.lower(arch);
    nasctl::libtorch::EagerNetwork net(spec, 1);
    CHECK(nasctl::libtorch::parameter_count(net) == nasctl::count_cost(spec).params);
    const at::Tensor y = net.forward(nasctl::libtorch::random_input(spec, 2, 3));
    CHECK(y.sizes().vec() == std::vector<int64_t>{2, 10});
    CHECK(at::isfinite(y).all().item<bool>());
  }
}
