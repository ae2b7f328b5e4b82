// OFA MobileNetV3 sub-networks of the engine against the stand-alone network
// their NetworkSpec builds (nasctl::libtorch::EagerNetwork): same tensors,
// same shapes, same parameter count, same outputs once given the same
// weights. Widths 1.0 and 1.2 (the published super-networks) and 0.35 (the
// fixture's), several resolutions, the extremes of every choice.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <set>
#include <string>
#include <vector>

#include "error_text.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/supernet/standalone.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "standalone_match.hpp"
#include "supernet_support.hpp"

using namespace nasctl;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

// Smallest, largest and random architectures at several resolutions.
std::vector<Architecture> architectures(const OfaMobileNetV3& space, int random_count) {
  std::vector<Architecture> out;
  const int resolutions = static_cast<int>(space.resolutions().size());
  for (int choice : {0, 2}) {
    Architecture a(OfaMobileNetV3::kVariables, choice);
    a[OfaMobileNetV3::kRIndex] = choice == 0 ? 0 : resolutions - 1;
    out.push_back(a);
  }
  Rng rng(5);
  for (int i = 0; i < random_count; ++i) out.push_back(space.sample(rng));
  return out;
}

}  // namespace

TEST_CASE("OFA sub-networks hold exactly the stand-alone network's tensors, shapes and parameter count") {
  c10::InferenceMode guard;
  for (double width : {1.0, 1.2, 0.35}) {
    const auto space = test::ofa_space(width, 1000);
    const supernet::SuperNetwork net(*space, 1);
    for (const Architecture& arch : architectures(*space, 4)) {
      CAPTURE(width);
      CAPTURE(space->to_string(arch));
      test::check_tensors_match_standalone(net.activate(arch));
    }
  }
}

TEST_CASE("the super-network holds OFA's tensors: the largest sub-network's parameters, statistics and the kernel matrices") {
  const auto space = test::ofa_space(1.0, 1000);
  const supernet::SuperNetwork net(*space, 1);
  const supernet::StateDict state = net.state_dict();
  // Once-for-All's ofa_mbv3_d234_e346_k357_w1.0: 475 state_dict entries, 64
  // of them batch-norm counters nasctl does not keep.
  CHECK(state.size() == 475 - 64);
  Architecture largest(OfaMobileNetV3::kVariables, 2);
  const int64_t largest_params = count_cost(space->lower(largest)).params;
  int64_t matrices = 0;
  for (const std::string& name : state.names()) {
    if (name.find("_matrix") != std::string::npos) matrices += state.at(name).numel();
  }
  CHECK(matrices == 20 * (25 * 25 + 9 * 9));
  int64_t parameters = 0, statistics = 0;
  for (const std::string& name : state.names()) {
    const int64_t n = state.at(name).numel();
    if (name.find("running_") != std::string::npos)
      statistics += n;
    else
      parameters += n;
  }
  CHECK(parameters == largest_params + matrices);
  CHECK(net.element_count() == parameters + statistics);
}

TEST_CASE("a sub-network computes what its stand-alone network computes with the same weights") {
  c10::InferenceMode guard;
  const auto space = test::ofa_space(0.35, 10);
  supernet::SuperNetwork net(*space, 4);
  // Non-trivial batch-norm statistics and kernel matrices, so every
  // tensor's slice matters.
  {
    const supernet::StateDict state = net.state_dict();
    at::Generator gen = at::detail::createCPUGenerator(9);
    for (const std::string& name : state.names()) {
      const at::Tensor& t = state.at(name);
      if (name.find("running_var") != std::string::npos) t.uniform_(0.5, 1.5, gen);
      else if (name.find("running_mean") != std::string::npos || name.find("bn.bias") != std::string::npos) t.normal_(0.0, 0.1, gen);
      else if (name.find("_matrix") != std::string::npos) t.add_(at::empty_like(t).normal_(0.0, 0.1, gen));
    }
  }
  for (const Architecture& arch : architectures(*space, 3)) {
    CAPTURE(space->to_string(arch));
    supernet::SubNetwork sub = net.activate(arch);
    const auto standalone = supernet::standalone_network(sub);
    const at::Tensor x = libtorch::random_input(sub.spec(), 2, 3);
    const at::Tensor expected = standalone->forward(x);
    const at::Tensor got = sub.forward(x);
    REQUIRE(got.sizes() == expected.sizes());
    CHECK(test::max_abs_difference(got, expected) <= 1e-5);
  }
}

TEST_CASE("an input at another resolution than the architecture's is an error naming both shapes") {
  c10::InferenceMode guard;
  const auto space = test::ofa_space(0.35, 10);
  const supernet::SuperNetwork net(*space, 4);
  Architecture arch(OfaMobileNetV3::kVariables, 0);  // resolution 128
  supernet::SubNetwork sub = net.activate(arch);
  const std::string message = test::error_of([&] { sub.forward(at::zeros({1, 3, 224, 224})); });
  CHECK(message.find("[1, 3, 224, 224]") != std::string::npos);
  CHECK(message.find("[batch, 3, 128, 128]") != std::string::npos);
  CHECK(message.find("fix:") != std::string::npos);
}
