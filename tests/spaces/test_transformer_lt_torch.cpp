// Transformer-LT networks as LibTorch modules: the module built from each
// NetworkSpec has exactly count_cost(spec).params parameters, its forward
// pass gives [batch, T, vocabulary] logits, the TorchScript form computes
// the same, the decoder is causal (a target token changes only the logits
// of its own and later positions) while every source token reaches every
// target position, and where a GPU is usable CUDA computes what the CPU does.
#include "../torch/torch_doctest.hpp"

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "cuda_agreement.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/script_network.hpp"
#include "plugin_config.hpp"
#include "transformer_lt.hpp"

using namespace nasctl;
using nasctl::spaces::transformer_lt::TransformerLT;

namespace {

std::unique_ptr<TransformerLT> small_space() {
  return test::make_plugin<TransformerLT>(
      {{"source_length", int64_t{5}}, {"target_length", int64_t{4}}, {"vocabulary", int64_t{20}}});
}

}  // namespace

TEST_CASE("transformer-lt modules: parameters as counted, logits of the stated shape, TorchScript identical") {
  c10::InferenceMode guard;
  const auto s = small_space();
  Rng rng(4);
  std::vector<Architecture> archs{s->smallest(), s->largest()};
  for (int i = 0; i < 4; ++i) archs.push_back(s->sample(rng));
  for (const Architecture& a : archs) {
    CAPTURE(s->to_string(a));
    const NetworkSpec spec = s->lower(a);
    libtorch::EagerNetwork net(spec, 1);
    CHECK(libtorch::parameter_count(net) == count_cost(spec).params);
    const at::Tensor x = libtorch::random_input(spec, 2, 3);
    CHECK(x.sizes().vec() == std::vector<int64_t>{2, 1, 9, 1});
    // Token ids: integers below the vocabulary.
    CHECK((x == x.round()).all().item<bool>());
    CHECK(x.min().item<float>() >= 0.0f);
    CHECK(x.max().item<float>() < 20.0f);
    const at::Tensor y = net.forward(x);
    CHECK(y.sizes().vec() == std::vector<int64_t>{2, 4, 20});
    CHECK(at::isfinite(y).all().item<bool>());
    CHECK(y.std().item<float>() > 0.0f);
    torch::jit::Module scripted = libtorch::to_script(net);
    const at::Tensor z = scripted.forward({x}).toTensor();
    CHECK(at::allclose(y, z, 1e-4, 1e-4));
  }
}

TEST_CASE("transformer-lt modules: the decoder is causal and reads the whole source") {
  c10::InferenceMode guard;
  const auto s = small_space();
  const NetworkSpec spec = s->lower(s->largest());
  libtorch::EagerNetwork net(spec, 1);
  const at::Tensor x = libtorch::random_input(spec, 1, 3);
  const at::Tensor y = net.forward(x);
  // Change target token 2 (input position 5 + 2): positions 0 and 1 keep
  // their logits, 2 and 3 change.
  at::Tensor x2 = x.clone();
  x2.index_put_({0, 0, 7, 0}, at::scalar_tensor(std::fmod(x[0][0][7][0].item<float>() + 1.0f, 20.0f)));
  const at::Tensor y2 = net.forward(x2);
  CHECK(at::allclose(y.narrow(1, 0, 2), y2.narrow(1, 0, 2), 1e-5, 1e-5));
  CHECK_FALSE(at::allclose(y.narrow(1, 2, 1), y2.narrow(1, 2, 1), 1e-3, 1e-3));
  // Change source token 4: every target position changes.
  at::Tensor x3 = x.clone();
  x3.index_put_({0, 0, 4, 0}, at::scalar_tensor(std::fmod(x[0][0][4][0].item<float>() + 1.0f, 20.0f)));
  const at::Tensor y3 = net.forward(x3);
  for (int64_t t = 0; t < 4; ++t) CHECK_FALSE(at::allclose(y.narrow(1, t, 1), y3.narrow(1, t, 1), 1e-3, 1e-3));
}

TEST_CASE("transformer-lt modules on CUDA compute what they compute on the CPU (skipped without a GPU)") {
  if (!test::cuda_usable()) return;
  const auto s = small_space();
  Rng rng(5);
  for (const Architecture& a : {s->smallest(), s->largest(), s->sample(rng)}) {
    CAPTURE(s->to_string(a));
    test::check_cuda_matches_cpu(s->lower(a));
  }
}
