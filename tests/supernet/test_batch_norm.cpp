// Batch norm in a weight-shared sub-network: Once-for-All's re-calibration
// (exact batch mean and biased variance, averaged over batches weighted by
// their sizes, no momentum) against a direct computation, and training-mode
// passes, which normalise by the batch and update the shared running
// statistics of the channels they use.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <ATen/CPUGeneratorImpl.h>

#include <vector>

#include "error_text.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "tiny_space.hpp"

using namespace nasctl;

namespace {

at::Tensor normal(at::IntArrayRef shape, uint64_t seed) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  return at::empty(shape, at::kFloat).normal_(0.0, 1.0, gen);
}

// The tiny super-network with random weights and batch-norm affine terms.
supernet::SuperNetwork tiny_network(const test::TinySpace& space) {
  supernet::SuperNetwork net(space, 2);
  c10::NoGradGuard no_grad;
  const supernet::StateDict s = net.state_dict();
  s.at("bn.weight").copy_(at::tensor({0.5f, 1.5f, 2.0f, 0.8f}));
  s.at("bn.bias").copy_(at::tensor({0.1f, -0.2f, 0.3f, 0.0f}));
  return net;
}

// What the sub-network's convolution outputs before its batch norm.
at::Tensor conv_output(const supernet::SubNetwork& sub, const at::Tensor& x) {
  const supernet::StateDict own = sub.state_dict();
  const int64_t k = own.at("l0_weight").size(2);
  return at::conv2d(x, own.at("l0_weight"), {}, 1, k / 2);
}

std::vector<at::Tensor> batches() { return {normal({2, 2, 5, 5}, 1), normal({3, 2, 5, 5}, 2) * 2.0 + 0.5}; }

}  // namespace

TEST_CASE("re-calibrated statistics are the batch-size weighted means of each batch's mean and biased variance") {
  c10::InferenceMode guard;
  test::TinySpace space;
  const supernet::SuperNetwork net = tiny_network(space);
  supernet::SubNetwork sub = net.activate({1, 1});  // width 4, kernel 3
  const std::vector<at::Tensor> data = batches();
  std::size_t next = 0;
  CHECK(sub.recalibrate_batch_norm([&] { return next < data.size() ? data[next++] : at::Tensor(); }) == 5);
  CHECK(sub.recalibrated());

  at::Tensor mean = at::zeros({4}), var = at::zeros({4});
  for (const at::Tensor& batch : data) {
    const at::Tensor y = conv_output(sub, batch);
    const int64_t n = batch.size(0);
    mean += y.mean({0, 2, 3}) * n;
    var += y.var({0, 2, 3}, /*unbiased=*/false) * n;
  }
  mean /= 5.0;
  var /= 5.0;
  const supernet::StateDict own = sub.state_dict();
  CHECK(at::allclose(own.at("l0_bn_mean"), mean, 1e-5, 1e-6));
  CHECK(at::allclose(own.at("l0_bn_var"), var, 1e-5, 1e-6));

  // Eval mode then normalises with exactly these statistics.
  const at::Tensor x = normal({1, 2, 5, 5}, 3);
  const at::Tensor bn = at::batch_norm(conv_output(sub, x), own.at("l0_bn_weight"), own.at("l0_bn_bias"), mean, var,
                                       false, 0.0, 1e-5, false);
  const at::Tensor expected =
      at::linear(at::relu(bn).mean({2, 3}), own.at("l2_weight"), own.at("l2_bias"));
  CHECK(at::allclose(sub.forward(x), expected, 1e-4, 1e-5));
}

TEST_CASE("re-calibration changes neither the super-network nor other sub-networks") {
  c10::InferenceMode guard;
  test::TinySpace space;
  const supernet::SuperNetwork net = tiny_network(space);
  const at::Tensor shared_mean = net.state_dict().at("bn.running_mean").clone();
  supernet::SubNetwork a = net.activate({0, 1});
  const supernet::SubNetwork b = net.activate({0, 1});
  const std::vector<at::Tensor> data = batches();
  std::size_t next = 0;
  a.recalibrate_batch_norm([&] { return next < data.size() ? data[next++] : at::Tensor(); });
  CHECK(at::equal(net.state_dict().at("bn.running_mean"), shared_mean));
  CHECK(at::equal(b.state_dict().at("l0_bn_mean"), shared_mean.slice(0, 0, 2)));
  CHECK_FALSE(b.recalibrated());
  CHECK_FALSE(at::equal(a.state_dict().at("l0_bn_mean"), shared_mean.slice(0, 0, 2)));
}

TEST_CASE("re-calibration without any batch is an error and keeps the statistics") {
  test::TinySpace space;
  const supernet::SuperNetwork net = tiny_network(space);
  supernet::SubNetwork sub = net.activate({0, 0});
  const std::string message = test::error_of([&] { sub.recalibrate_batch_norm([] { return at::Tensor(); }); });
  CHECK(message.find("got no images") != std::string::npos);
  CHECK(message.find("fix:") != std::string::npos);
  CHECK_FALSE(sub.recalibrated());
}

TEST_CASE("a training-mode pass normalises by the batch and updates the shared running statistics it uses") {
  test::TinySpace space;
  const supernet::SuperNetwork net = tiny_network(space);
  const supernet::StateDict shared = net.state_dict();
  {
    c10::NoGradGuard no_grad;
    shared.at("bn.running_mean").copy_(at::tensor({1.f, 2.f, 3.f, 4.f}));
    shared.at("bn.running_var").copy_(at::tensor({2.f, 2.f, 2.f, 2.f}));
  }
  supernet::SubNetwork sub = net.activate({0, 1});  // width 2: the first two channels
  sub.train();
  CHECK(sub.is_training());
  const at::Tensor x = normal({4, 2, 5, 5}, 7);
  at::Tensor y;
  {
    c10::NoGradGuard no_grad;
    y = conv_output(sub, x);
    sub.forward(x);
  }
  const at::Tensor batch_mean = y.mean({0, 2, 3});
  const at::Tensor batch_var = y.var({0, 2, 3}, /*unbiased=*/true);
  const at::Tensor expected_mean = at::tensor({1.f, 2.f}) * 0.9 + batch_mean * 0.1;
  const at::Tensor expected_var = at::tensor({2.f, 2.f}) * 0.9 + batch_var * 0.1;
  CHECK(at::allclose(shared.at("bn.running_mean").slice(0, 0, 2), expected_mean, 1e-5, 1e-6));
  CHECK(at::allclose(shared.at("bn.running_var").slice(0, 0, 2), expected_var, 1e-5, 1e-6));
  // Channels the sub-network does not use keep theirs.
  CHECK(at::equal(shared.at("bn.running_mean").slice(0, 2, 4), at::tensor({3.f, 4.f})));
}

TEST_CASE("gradients of a training-mode pass reach the shared weights through the slices and kernel matrices") {
  test::TinySpace space;
  const supernet::SuperNetwork net = tiny_network(space);
  const supernet::StateDict shared = net.state_dict();
  shared.at("conv.weight").requires_grad_(true);
  shared.at("conv.3to1_matrix").requires_grad_(true);
  supernet::SubNetwork sub = net.activate({0, 0});  // width 2, kernel 1 through the matrix
  sub.train();
  sub.forward(normal({3, 2, 5, 5}, 8)).sum().backward();
  const at::Tensor grad = shared.at("conv.weight").grad();
  REQUIRE(grad.defined());
  // Only the first two filters' centre taps were used.
  CHECK(grad.slice(0, 0, 2).select(2, 1).select(2, 1).abs().sum().item<double>() > 0.0);
  CHECK(grad.slice(0, 2, 4).abs().sum().item<double>() == 0.0);
  CHECK(grad.slice(2, 0, 1).abs().sum().item<double>() == 0.0);
  CHECK(shared.at("conv.3to1_matrix").grad().defined());
}
