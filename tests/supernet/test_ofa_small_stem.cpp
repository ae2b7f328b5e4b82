// Super-networks of the OFA MobileNetV3 space with the small stem and one
// input channel (Fashion-MNIST's 28x28 grey images): sub-networks hold the
// stand-alone network's parameter count, take [N, 1, 28, 28] and give
// [N, classes], and compute what their stand-alone networks compute. The
// small stem changes strides only, so an RGB checkpoint of OFA's layout
// loads into a small-stem space with 3 input channels, and not into one
// with 1.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <string>
#include <vector>

#include "error_text.hpp"
#include "nasctl/datasets/fashion_mnist.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/supernet/standalone.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "supernet_support.hpp"

using namespace nasctl;
using nasctl::spaces::ofa_mobilenetv3::OfaMobileNetV3;

namespace {

std::unique_ptr<OfaMobileNetV3> small_space(double width, int64_t classes, int64_t channels,
                                            std::vector<int64_t> resolutions = {28}) {
  return test::make_plugin<OfaMobileNetV3>({{"width", width},
                                            {"classes", classes},
                                            {"input_channels", channels},
                                            {"stem", std::string("small")},
                                            {"resolutions", std::move(resolutions)}});
}

std::vector<Architecture> architectures(const OfaMobileNetV3& space, int random_count) {
  std::vector<Architecture> out{Architecture(OfaMobileNetV3::kVariables, 0),
                                Architecture(OfaMobileNetV3::kVariables, 2)};
  out.back()[OfaMobileNetV3::kRIndex] = static_cast<int>(space.resolutions().size()) - 1;
  Rng rng(17);
  for (int i = 0; i < random_count; ++i) out.push_back(space.sample(rng));
  return out;
}

// Non-trivial statistics, shifts and kernel matrices, so every slice matters.
void perturb(const supernet::SuperNetwork& net) {
  const supernet::StateDict state = net.state_dict();
  at::Generator gen = at::detail::createCPUGenerator(21);
  for (const std::string& name : state.names()) {
    const at::Tensor& t = state.at(name);
    if (name.find("running_var") != std::string::npos)
      t.uniform_(0.5, 1.5, gen);
    else if (name.find("running_mean") != std::string::npos || name.find("bn.bias") != std::string::npos)
      t.normal_(0.0, 0.1, gen);
    else if (name.find("_matrix") != std::string::npos)
      t.add_(at::empty_like(t).normal_(0.0, 0.1, gen));
  }
}

// Every choice the middle one, at the space's only resolution.
Architecture middle() {
  Architecture arch(OfaMobileNetV3::kVariables, 1);
  arch[OfaMobileNetV3::kRIndex] = 0;
  return arch;
}

}  // namespace

TEST_CASE("small-stem grey sub-networks count count_cost's parameters and map [2, 1, 28, 28] to [2, classes]") {
  c10::InferenceMode guard;
  for (double width : {1.0, 0.35}) {
    const auto space = small_space(width, 10, 1);
    const supernet::SuperNetwork net(*space, 2);
    CHECK(net.name().find("1 input channel") != std::string::npos);
    CHECK(net.state_dict().at("first_conv.conv.weight").size(1) == 1);
    for (const Architecture& arch : architectures(*space, 3)) {
      CAPTURE(width);
      CAPTURE(space->to_string(arch));
      supernet::SubNetwork sub = net.activate(arch);
      CHECK(sub.parameter_count() == count_cost(sub.spec()).params);
      const at::Tensor logits = sub.forward(at::randn({2, 1, 28, 28}));
      CHECK(logits.sizes() == at::IntArrayRef{2, 10});
      CHECK(logits.isfinite().all().item<bool>());
    }
  }
}

TEST_CASE("a small-stem sub-network computes what its stand-alone network computes") {
  c10::InferenceMode guard;
  const auto space = small_space(0.35, 10, 1, {28, 32});
  supernet::SuperNetwork net(*space, 4);
  perturb(net);
  for (const Architecture& arch : architectures(*space, 3)) {
    CAPTURE(space->to_string(arch));
    supernet::SubNetwork sub = net.activate(arch);
    const auto standalone = supernet::standalone_network(sub);
    CHECK(libtorch::parameter_count(*standalone) == sub.parameter_count());
    const at::Tensor x = libtorch::random_input(sub.spec(), 2, 3);
    CHECK(x.size(1) == 1);
    const at::Tensor expected = standalone->forward(x);
    const at::Tensor got = sub.forward(x);
    REQUIRE(got.sizes() == expected.sizes());
    CHECK(test::max_abs_difference(got, expected) <= 1e-5);
  }
}

TEST_CASE("an RGB OFA checkpoint loads into a small-stem space with 3 channels, not into a grey one") {
  c10::InferenceMode guard;
  const test::OfaFixture fixture = test::load_fixture(test::fixture_dir());
  const auto rgb = small_space(fixture.width(), fixture.classes(), 3, {32});
  supernet::SuperNetwork net = supernet::SuperNetwork::from_checkpoint(*rgb, fixture.checkpoint());
  supernet::SubNetwork sub = net.activate(middle());
  const at::Tensor logits = sub.forward(test::crop(fixture.images, 32));
  CHECK(logits.sizes() == at::IntArrayRef{fixture.images.size(0), fixture.classes()});

  const auto grey = small_space(fixture.width(), fixture.classes(), 1, {28});
  const std::string message =
      test::error_of([&] { supernet::SuperNetwork::from_checkpoint(*grey, fixture.checkpoint()); });
  CHECK(message.find("'first_conv.conv.weight' has shape [8, 3, 3, 3]") != std::string::npos);
  CHECK(message.find("needs [8, 1, 3, 3]") != std::string::npos);
  CHECK(message.find("1 input channel") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("a grey input of the wrong shape is an error naming the sub-network's [batch, 1, 28, 28]") {
  c10::InferenceMode guard;
  const auto space = small_space(0.35, 10, 1);
  const supernet::SuperNetwork net(*space, 1);
  supernet::SubNetwork sub = net.activate(Architecture(OfaMobileNetV3::kVariables, 0));
  const std::string message = test::error_of([&] { sub.forward(at::zeros({1, 3, 28, 28})); });
  CHECK(message.find("[batch, 1, 28, 28]") != std::string::npos);
}

TEST_CASE("Fashion-MNIST's batches feed a grey small-stem sub-network as they come: [n, 1, 28, 28] -> [n, 10]") {
  using namespace nasctl::datasets;
  if (!std::filesystem::exists(std::filesystem::path(kFashionMnistDebianFolder) / "t10k-images-idx3-ubyte.gz")) {
    MESSAGE("skipped: Debian's dataset-fashion-mnist is not installed");
    return;
  }
  c10::InferenceMode guard;
  const FashionMnist fashion = open_fashion_mnist();
  const auto space = small_space(0.35, static_cast<int64_t>(fashion.test->classes().size()), 1);
  const supernet::SuperNetwork net(*space, 3);
  supernet::SubNetwork sub = net.activate(middle());
  auto stream = fashion.test->read({0, 1, 2, 3, 4}, 5, static_cast<int>(space->resolutions().front()));
  const auto batch = stream.next();
  REQUIRE(batch);
  CHECK(batch->images.sizes() == at::IntArrayRef{5, 1, 28, 28});
  const at::Tensor logits = sub.forward(batch->images);
  CHECK(logits.sizes() == at::IntArrayRef{5, 10});
  CHECK(logits.isfinite().all().item<bool>());
}
