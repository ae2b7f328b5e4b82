// The FBNet space's networks as LibTorch modules: the module built from each
// NetworkSpec has exactly count_cost(spec).params parameters, and its forward
// pass gives the output shape the spec states (grouped 1x1 convolutions and
// channel shuffles included).
#include "../torch/torch_doctest.hpp"

#include <ATen/ATen.h>

#include <map>
#include <string>

#include "fbnet_space.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "plugin_config.hpp"

using nasctl::Architecture;
using nasctl::spaces::fbnet::FbnetSpace;

namespace {

std::unique_ptr<FbnetSpace> space(const std::string& input) {
  return nasctl::test::make_plugin<FbnetSpace>({{"input", input}});
}

void check_module(const nasctl::NetworkSpec& spec, int64_t classes) {
  c10::InferenceMode guard;
  nasctl::libtorch::EagerNetwork net(spec, 1);
  CHECK(nasctl::libtorch::parameter_count(net) == nasctl::count_cost(spec).params);
  const at::Tensor y = net.forward(nasctl::libtorch::random_input(spec, 2, 3));
  CHECK(y.sizes().vec() == std::vector<int64_t>{2, classes});
  CHECK(at::isfinite(y).all().item<bool>());
}

}  // namespace

TEST_CASE("fbnet torch: every uniform CIFAR network and random ones have the spec's parameter count and output shape") {
  const auto s = space("cifar");
  for (int op = 0; op < 9; ++op) {
    CAPTURE(op);
    check_module(s->lower(Architecture(22, op)), 100);
  }
  nasctl::Rng rng(12);
  for (int i = 0; i < 5; ++i) check_module(s->lower(s->sample(rng)), 100);
}

TEST_CASE("fbnet torch: ImageNet networks (224x224, 1000 classes) likewise") {
  const auto s = space("imagenet");
  check_module(s->lower(Architecture(22, 1)), 1000);  // grouped + shuffle everywhere
  check_module(s->lower(Architecture(22, 8)), 1000);  // skip: identities and 1x1 convolutions
  nasctl::Rng rng(13);
  check_module(s->lower(s->sample(rng)), 1000);
}
