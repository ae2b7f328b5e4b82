// TorchScript lowering: same function as the eager module, before and after
// freeze + optimize_for_inference.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <torch/version.h>

#include <string>

#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/resize_warning_filter.hpp"
#include "nasctl/torch/script_network.hpp"
#include "specs.hpp"

using namespace nasctl;

namespace {

double max_abs_diff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

namespace {

// The scripted module equals the eager one within 1e-5 and the optimized
// (frozen, folded) one within 1e-4, same weights, on a non-degenerate output.
void check_script_forms(const NetworkSpec& spec, uint64_t seed, uint64_t input_seed) {
  libtorch::EagerNetwork eager(spec, seed);
  torch::jit::Module scripted = libtorch::to_script(eager);
  torch::jit::Module optimized = libtorch::optimize_for_deployment(scripted);
  c10::InferenceMode guard;
  const at::Tensor x = libtorch::random_input(spec, 2, input_seed);
  const at::Tensor expected = eager.forward(x);
  const at::Tensor plain = scripted.forward({x}).toTensor();
  at::Tensor fast;
  for (int run = 0; run < 3; ++run) fast = optimized.forward({x}).toTensor();  // past profiling runs
  REQUIRE(plain.sizes() == expected.sizes());
  REQUIRE(fast.sizes() == expected.sizes());
  CHECK(expected.abs().max().item<double>() > 1e-3);  // a non-degenerate output
  CHECK(max_abs_diff(plain, expected) <= 1e-5);
  CHECK(max_abs_diff(fast, expected) <= 1e-4);
}

}  // namespace

TEST_CASE("optimized TorchScript module equals the eager module within 1e-4 (same weights)") {
  for (const NetworkSpec& spec : {test::mobilenet_like(), test::shufflenet_like(), test::grouped_net()}) {
    CAPTURE(spec.name);
    check_script_forms(spec, 11, 5);
  }
}

TEST_CASE("ceil-mode pools: the TorchScript module equals the eager one on odd maps") {
  const NetworkSpec spec = test::ceil_pools();
  REQUIRE(spec.layers[1].out.height == 5);  // 9 -> 5: the partial last window kept
  REQUIRE(spec.layers[3].out.height == 3);  // 5 -> 3
  check_script_forms(spec, 3, 7);
}

TEST_CASE("optimized module on channel counts off the oneDNN block equals eager from LibTorch 2 on") {
  const NetworkSpec spec = test::odd_channels();
  libtorch::EagerNetwork eager(spec, 11);
  torch::jit::Module optimized = libtorch::optimize_for_deployment(libtorch::to_script(eager));
  c10::InferenceMode guard;
  libtorch::ScopedResizeWarningFilter quiet;  // LibTorch 1.13 warns on every pass here
  const at::Tensor x = libtorch::random_input(spec, 1, 5);
  const at::Tensor expected = eager.forward(x);
  at::Tensor fast;
  for (int run = 0; run < 3; ++run) fast = optimized.forward({x}).toTensor();
  REQUIRE(fast.sizes() == expected.sizes());
  CHECK(at::isfinite(fast).all().item<bool>());
#if TORCH_VERSION_MAJOR >= 2
  CHECK(max_abs_diff(fast, expected) <= 1e-4);
#else
  // LibTorch 1.13 bug (see nasctl/torch/resize_warning_filter.hpp): its oneDNN
  // hardswish/hardsigmoid skip the padded tail of channel-blocked tensors,
  // so the optimized numerics differ here; the work timed is the same.
  MESSAGE("LibTorch 1.13: optimized vs eager max difference " << max_abs_diff(fast, expected)
                                                              << " (known oneDNN padding bug, fixed in 2.x)");
#endif
}

TEST_CASE("optimize_for_deployment folds every batch norm into its convolution") {
  libtorch::EagerNetwork eager(test::mobilenet_like(), 0);
  torch::jit::Module scripted = libtorch::to_script(eager);
  const std::string before = scripted.get_method("forward").graph()->toString();
  CHECK(before.find("aten::batch_norm") != std::string::npos);
  torch::jit::Module optimized = libtorch::optimize_for_deployment(scripted);
  const std::string after = optimized.get_method("forward").graph()->toString();
  CHECK(after.find("aten::batch_norm") == std::string::npos);
}

TEST_CASE("the scripted module shares the eager module's tensors") {
  libtorch::EagerNetwork eager(test::grouped_net(), 2);
  torch::jit::Module scripted = libtorch::to_script(eager);
  const at::Tensor w = scripted.attr("l0_weight").toTensor();
  CHECK(w.data_ptr() == eager.layer_tensors(0).weight.data_ptr());
  CHECK(scripted.attr("l1_bn_mean").toTensor().data_ptr() == eager.layer_tensors(1).bn_mean.data_ptr());
}

TEST_CASE("script source is one statement group per layer and returns the last layer") {
  const NetworkSpec spec = test::shufflenet_like();
  const std::string src = libtorch::script_source(spec);
  CHECK(src.rfind("def forward(self, x: Tensor) -> Tensor:\n", 0) == 0);
  CHECK(src.find("return t" + std::to_string(spec.layers.size() - 1) + "\n") != std::string::npos);
  CHECK(src.find("torch.avg_pool2d(") != std::string::npos);
  CHECK(src.find(", False, False)") != std::string::npos);  // count_include_pad = False
  CHECK(src.find("torch.narrow(") != std::string::npos);
}
