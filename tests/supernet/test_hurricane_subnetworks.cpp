// HURRICANE's single-path one-shot super-network: every candidate operator
// of every searchable layer owns its weights, stem and head are shared.
// Sub-networks against the stand-alone networks their specs build.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "hurricane_space.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/supernet/standalone.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "operators.hpp"
#include "standalone_match.hpp"
#include "supernet_support.hpp"

using namespace nasctl;
using nasctl::spaces::hurricane::HurricaneSpace;

namespace {

// The default macro structure (20 searchable layers), narrower and at 64x64
// so that every operator's weights fit in a few MB.
std::unique_ptr<HurricaneSpace> small_hurricane() {
  return test::make_plugin<HurricaneSpace>({{"resolution", int64_t{64}},
                                            {"classes", int64_t{10}},
                                            {"widths", std::vector<int64_t>{16, 24, 32, 48, 64, 96}},
                                            {"head_width", int64_t{128}}});
}

std::vector<Architecture> architectures(const HurricaneSpace& space, int count) {
  std::vector<Architecture> out{Architecture(space.layers(), 0)};
  Rng rng(13);
  for (int i = 0; i < count; ++i) out.push_back(space.sample(rng));
  return out;
}

}  // namespace

TEST_CASE("HURRICANE sub-networks hold exactly the stand-alone network's tensors, shapes and parameter count") {
  c10::InferenceMode guard;
  const auto space = small_hurricane();
  const supernet::SuperNetwork net(*space, 1);
  for (const Architecture& arch : architectures(*space, 6)) {
    CAPTURE(space->to_string(arch));
    test::check_tensors_match_standalone(net.activate(arch));
  }
}

TEST_CASE("every candidate operator of every HURRICANE layer owns its weights") {
  const auto space = small_hurricane();
  const supernet::SuperNetwork net(*space, 1);
  // The super-network holds each operator's parameters once: the sum over
  // layers and operators of the operator's own count, plus stem and head.
  const NetworkSpec any = space->lower(Architecture(space->layers(), 0));
  int64_t expected = 0;
  for (std::size_t l = 0; l < any.layers.size(); ++l) {
    const bool fixed = l < 4 || l + 3 >= any.layers.size();  // stem (16 = 16 channels: with its add), head
    if (fixed) expected += layer_params(any.layers[l]);
  }
  for (std::size_t i = 0; i < space->layers(); ++i) {
    for (int op : space->layer_operators(i))
      expected += count_cost(space->lower_operator(i, spaces::hurricane::operator_pool()[op].name)).params;
  }
  int64_t parameters = 0;
  const supernet::StateDict state = net.state_dict();
  for (const std::string& name : state.names()) {
    if (name.find("running_") == std::string::npos) parameters += state.at(name).numel();
  }
  CHECK(parameters == expected);
}

TEST_CASE("two HURRICANE architectures that differ at one layer share every tensor but that layer's") {
  c10::InferenceMode guard;
  const auto space = small_hurricane();
  supernet::SuperNetwork net(*space, 2);
  Architecture a(space->layers(), 0);
  Architecture b = a;
  b[5] = 3;  // another operator at l5
  supernet::SubNetwork sub_a = net.activate(a);
  supernet::SubNetwork sub_b = net.activate(b);
  const at::Tensor x = libtorch::random_input(sub_a.spec(), 2, 4);
  const at::Tensor before_a = sub_a.forward(x), before_b = sub_b.forward(x);
  // Change the weights of b's operator at l5: only b's output moves.
  const std::string op = spaces::hurricane::operator_pool()[space->layer_operators(5)[3]].name;
  const supernet::StateDict shared = net.state_dict();
  bool changed = false;
  for (const std::string& name : shared.names()) {
    if (name.rfind("layers.5." + op + ".", 0) == 0 && name.find("conv.weight") != std::string::npos) {
      shared.at(name).mul_(2.0);
      changed = true;
    }
  }
  REQUIRE(changed);
  CHECK(at::equal(sub_a.forward(x), before_a));
  CHECK_FALSE(at::allclose(sub_b.forward(x), before_b));
}

TEST_CASE("a HURRICANE sub-network computes what its stand-alone network computes with the same weights") {
  c10::InferenceMode guard;
  const auto space = small_hurricane();
  supernet::SuperNetwork net(*space, 3);
  {
    // Statistics away from 0/1, so each layer's own ones matter.
    const supernet::StateDict state = net.state_dict();
    for (const std::string& name : state.names()) {
      if (name.find("running_var") != std::string::npos) state.at(name).uniform_(0.5, 1.5);
      if (name.find("running_mean") != std::string::npos) state.at(name).normal_(0.0, 0.1);
    }
  }
  for (const Architecture& arch : architectures(*space, 3)) {
    CAPTURE(space->to_string(arch));
    supernet::SubNetwork sub = net.activate(arch);
    const auto standalone = supernet::standalone_network(sub);
    const at::Tensor x = libtorch::random_input(sub.spec(), 2, 5);
    CHECK(test::max_abs_difference(sub.forward(x), standalone->forward(x)) <= 1e-5);
  }
}
