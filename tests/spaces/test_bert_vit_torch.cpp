// bert-base and vit-base networks as LibTorch modules: the module built from
// each NetworkSpec has exactly count_cost(spec).params parameters (at full
// size too: BERT-base's and ViT-B/16's), its forward pass gives the stated
// [batch, 1, classes] logits, the TorchScript form computes the same,
// every input token (BERT) or patch (ViT) reaches the output, and where a
// GPU is usable CUDA computes what the CPU does.
#include "../torch/torch_doctest.hpp"

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "cuda_agreement.hpp"
#include "encoder_space.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "nasctl/torch/script_network.hpp"
#include "plugin_config.hpp"

using namespace nasctl;
using nasctl::spaces::bert_vit::BertBase;
using nasctl::spaces::bert_vit::EncoderSpace;
using nasctl::spaces::bert_vit::VitBase;

namespace {

void check_modules(const EncoderSpace& s, const std::vector<int64_t>& input_shape, int64_t classes) {
  Rng rng(4);
  std::vector<Architecture> archs{s.smallest(), s.largest()};
  for (int i = 0; i < 3; ++i) archs.push_back(s.sample(rng));
  for (const Architecture& a : archs) {
    CAPTURE(s.to_string(a));
    const NetworkSpec spec = s.lower(a);
    libtorch::EagerNetwork net(spec, 1);
    CHECK(libtorch::parameter_count(net) == count_cost(spec).params);
    const at::Tensor x = libtorch::random_input(spec, 2, 3);
    CHECK(x.sizes().vec() == input_shape);
    const at::Tensor y = net.forward(x);
    CHECK(y.sizes().vec() == std::vector<int64_t>{2, 1, classes});
    CHECK(at::isfinite(y).all().item<bool>());
    CHECK(y.std().item<float>() > 0.0f);
    torch::jit::Module scripted = libtorch::to_script(net);
    const at::Tensor z = scripted.forward({x}).toTensor();
    CHECK(at::allclose(y, z, 1e-4, 1e-4));
  }
}

}  // namespace

TEST_CASE("bert-base modules: parameters as counted, [batch, 1, classes] logits, TorchScript identical") {
  c10::InferenceMode guard;
  const auto s = test::make_plugin<BertBase>(
      {{"sequence_length", int64_t{8}}, {"vocabulary", int64_t{40}}, {"classes", int64_t{3}}});
  check_modules(*s, {2, 1, 8, 1}, 3);
}

TEST_CASE("vit-base modules: parameters as counted, [batch, 1, classes] logits, TorchScript identical") {
  c10::InferenceMode guard;
  const auto s = test::make_plugin<VitBase>({{"image_size", int64_t{32}}, {"classes", int64_t{10}}});
  check_modules(*s, {2, 3, 32, 32}, 10);
}

TEST_CASE("bert-base and vit-base at full size: the LibTorch modules hold BERT-base's and ViT-B/16's parameters") {
  c10::InferenceMode guard;
  const auto bert = test::make_plugin<BertBase>();
  CHECK(libtorch::parameter_count(libtorch::EagerNetwork(bert->lower(bert->largest()), 1)) == 109482240 + 768 * 2 + 2);
  const auto vit = test::make_plugin<VitBase>();
  CHECK(libtorch::parameter_count(libtorch::EagerNetwork(vit->lower(vit->largest()), 1)) == 86567656);
}

TEST_CASE("bert-base and vit-base modules: every token or patch reaches the logits") {
  c10::InferenceMode guard;
  const auto bert = test::make_plugin<BertBase>({{"sequence_length", int64_t{6}}, {"vocabulary", int64_t{30}}});
  const NetworkSpec spec = bert->lower(bert->smallest());
  libtorch::EagerNetwork net(spec, 1);
  const at::Tensor x = libtorch::random_input(spec, 1, 3);
  const at::Tensor y = net.forward(x);
  for (int64_t t = 0; t < 6; ++t) {
    at::Tensor x2 = x.clone();
    x2.index_put_({0, 0, t, 0}, at::scalar_tensor(std::fmod(x[0][0][t][0].item<float>() + 1.0f, 30.0f)));
    CHECK_FALSE(at::allclose(y, net.forward(x2), 1e-4, 1e-4));
  }
  const auto vit = test::make_plugin<VitBase>({{"image_size", int64_t{32}}, {"classes", int64_t{4}}});
  const NetworkSpec vspec = vit->lower(vit->smallest());
  libtorch::EagerNetwork vnet(vspec, 1);
  const at::Tensor img = libtorch::random_input(vspec, 1, 3);
  const at::Tensor logits = vnet.forward(img);
  for (int64_t patch = 0; patch < 4; ++patch) {
    at::Tensor img2 = img.clone();
    img2.index_put_({0, 0, (patch / 2) * 16 + 3, (patch % 2) * 16 + 5}, at::scalar_tensor(5.0f));
    CHECK_FALSE(at::allclose(logits, vnet.forward(img2), 1e-4, 1e-4));
  }
}

TEST_CASE("bert-base and vit-base modules on CUDA compute what they compute on the CPU (skipped without a GPU)") {
  if (!test::cuda_usable()) return;
  const auto bert = test::make_plugin<BertBase>(
      {{"sequence_length", int64_t{8}}, {"vocabulary", int64_t{40}}, {"classes", int64_t{3}}});
  const auto vit = test::make_plugin<VitBase>({{"image_size", int64_t{32}}, {"classes", int64_t{10}}});
  Rng rng(5);
  for (const EncoderSpace* s : {static_cast<const EncoderSpace*>(bert.get()), static_cast<const EncoderSpace*>(vit.get())}) {
    for (const Architecture& a : {s->smallest(), s->largest(), s->sample(rng)}) {
      CAPTURE(s->to_string(a));
      test::check_cuda_matches_cpu(s->lower(a));
    }
  }
}
