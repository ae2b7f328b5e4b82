// NAS-Bench-201's networks as LibTorch modules: the module built from each
// NetworkSpec has exactly count_cost(spec).params parameters (the hand
// counts of test_nasbench201.cpp), and its forward pass gives the logits
// shape the spec states, sums of three inputs and pass-through cells included.
#include "../torch/torch_doctest.hpp"

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "nasbench201_space.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "plugin_config.hpp"

using nasctl::Architecture;
using nasctl::spaces::nasbench201::NasBench201;

namespace {

int64_t module_params(const nasctl::NetworkSpec& spec) {
  nasctl::libtorch::EagerNetwork net(spec, 1);
  return nasctl::libtorch::parameter_count(net);
}

void check_forward(const nasctl::NetworkSpec& spec, int64_t classes) {
  c10::InferenceMode guard;
  nasctl::libtorch::EagerNetwork net(spec, 1);
  const at::Tensor y = net.forward(nasctl::libtorch::random_input(spec, 2, 3));
  CHECK(y.sizes().vec() == std::vector<int64_t>{2, classes});
  CHECK(at::isfinite(y).all().item<bool>());
}

}  // namespace

TEST_CASE("the LibTorch module of each hand-counted nasbench201 network has the hand-counted parameters") {
  const auto space = nasctl::test::make_plugin<NasBench201>();
  const std::vector<std::pair<std::string, int64_t>> cases{
      {"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 73'306},
      {"|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|", 73'306},
      {"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 1'531'546},
      {"|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|", 587'386},
  };
  for (const auto& [text, params] : cases) {
    CAPTURE(text);
    const nasctl::NetworkSpec spec = space->lower(space->parse(text));
    CHECK(module_params(spec) == params);
    CHECK(nasctl::count_cost(spec).params == params);
    check_forward(spec, 10);
  }
}

TEST_CASE("random nasbench201 networks (CIFAR-100 and ImageNet16-120) run forward with the spec's shapes and parameters") {
  for (const auto& [classes, size] : std::vector<std::pair<int64_t, int64_t>>{{100, 32}, {120, 16}}) {
    const auto space = nasctl::test::make_plugin<NasBench201>({{"classes", classes}, {"input_size", size}});
    nasctl::Rng rng(11);
    for (int i = 0; i < 12; ++i) {
      const Architecture a = space->sample(rng);
      CAPTURE(space->to_string(a));
      const nasctl::NetworkSpec spec = space->lower(a);
      CHECK(module_params(spec) == nasctl::count_cost(spec).params);
      check_forward(spec, classes);
    }
  }
}
