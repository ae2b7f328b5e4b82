// OFA ResNet50 (plugins/spaces/ofa-resnet50) as LibTorch modules: the
// module's parameter count equals count_cost() and the count OFA's own code
// gives for the same sub-network, and forward yields the shapes the
// NetworkSpec states, at even and odd feature-map sizes.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "../spaces/plugin_config.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "ofa_resnet50.hpp"

using nasctl::Architecture;
using nasctl::NetworkSpec;
using nasctl::libtorch::EagerNetwork;
using nasctl::spaces::ofa_resnet50::OfaResNet50;

namespace {

std::unique_ptr<OfaResNet50> space() {
  return nasctl::test::make_plugin<OfaResNet50>(
      {{"resolutions", std::vector<int64_t>{128, 132, 160, 176, 224}}});
}

}  // namespace

// Parameters of OFA's own sub-networks (sum of numel() over
// get_active_subnet(preserve_weight=False).parameters(), OFAResNets with
// depth [0, 1, 2], expand [0.2, 0.25, 0.35], width [0.65, 0.8, 1.0], 1000
// classes; see tests/spaces/test_ofa_resnet50.cpp for how they were made).
TEST_CASE("ofa-resnet50 modules: parameter count = count_cost = OFA's sub-network's") {
  const auto s = space();
  struct Ref {
    const char* dynast;
    int64_t params;
  };
  const std::vector<Ref> refs = {
      {"{'d': [0, 0, 0, 0, 0], 'e': [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, "
       "0.2, 0.2], 'w': [0, 0, 0, 0, 0, 0], 'r': [224]}",
       6539280},
      {"{'d': [2, 2, 2, 2, 2], 'e': [0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, "
       "0.35, 0.35, 0.35, 0.35, 0.35], 'w': [2, 2, 2, 2, 2, 2], 'r': [224]}",
       48105992},
      {"{'d': [2, 1, 0, 2, 1], 'e': [0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, 0.2, 0.25, 0.35, "
       "0.2, 0.25, 0.35, 0.2], 'w': [1, 0, 2, 1, 0, 2], 'r': [224]}",
       22347264},
      {"{'d': [1, 0, 1, 2, 2], 'e': [0.2, 0.25, 0.35, 0.35, 0.25, 0.2, 0.2, 0.2, 0.35, 0.35, 0.35, 0.35, 0.25, 0.2, "
       "0.25, 0.35, 0.2, 0.25], 'w': [0, 1, 1, 2, 0, 2], 'r': [132]}",
       27597648},
  };
  for (const Ref& ref : refs) {
    CAPTURE(ref.dynast);
    const NetworkSpec spec = s->lower(s->parse(ref.dynast));
    EagerNetwork net(spec, 0);
    CHECK(nasctl::libtorch::parameter_count(net) == nasctl::count_cost(spec).params);
    CHECK(nasctl::libtorch::parameter_count(net) == ref.params);
  }
}

TEST_CASE("ofa-resnet50 modules: forward gives [batch, 1000] at even and odd map sizes") {
  c10::InferenceMode guard;
  const auto s = space();
  // Smallest at 128 (maps 64/32/32/16/8/4) and at 132 (66/33/33/17/9/5: the
  // strided blocks' avg-pools see odd maps), a mixed network at 176.
  std::vector<Architecture> archs;
  Architecture a = s->smallest();
  archs.push_back(a);
  a[OfaResNet50::kRIndex] = 1;
  archs.push_back(a);
  archs.push_back(s->parse("d=2,2,1,1,0;e=0.25,0.25,0.25,0.25,0.25,0.25,0.25,-,0.25,0.25,0.25,0.25,0.25,-,0.25,0.25,"
                           "-,-;w=2,0,1,1,2,0;r=176"));
  for (const Architecture& x : archs) {
    CAPTURE(s->to_string(x));
    const NetworkSpec spec = s->lower(x);
    EagerNetwork net(spec, 3);
    const at::Tensor y = net.forward(nasctl::libtorch::random_input(spec, 2, 1));
    CHECK(y.sizes().vec() == std::vector<int64_t>{2, 1000});
    CHECK(at::isfinite(y).all().item<bool>());
  }
}
