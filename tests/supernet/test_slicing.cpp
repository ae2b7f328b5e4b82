// How a sub-network's tensors are cut from the shared ones: first channels
// and features, the kernel centre, OFA's kernel transformation matrices
// (x @ M^T on each flattened centre, 7 -> 5 then 5 -> 3), on tensors small
// enough to write the expected numbers by hand.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include "error_text.hpp"
#include "nasctl/error.hpp"
#include "nasctl/supernet/slicing.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/torch/channels_last.hpp"
#include "tiny_space.hpp"

using namespace nasctl;
using nasctl::supernet::cut_shared_tensor;
using nasctl::supernet::KernelTransform;

namespace {

// [out, in, k, k] whose element (o, i, y, x) is o*1000 + i*100 + y*10 + x.
at::Tensor indexed_filter(int64_t out, int64_t in, int64_t k) {
  at::Tensor t = at::empty({out, in, k, k}, at::kFloat);
  for (int64_t o = 0; o < out; ++o)
    for (int64_t i = 0; i < in; ++i)
      for (int64_t y = 0; y < k; ++y)
        for (int64_t x = 0; x < k; ++x) t[o][i][y][x] = static_cast<float>(o * 1000 + i * 100 + y * 10 + x);
  return t;
}

}  // namespace

TEST_CASE("a narrower layer takes the first output and input channels of the shared weight") {
  const at::Tensor shared = indexed_filter(6, 4, 1);
  const at::Tensor cut = cut_shared_tensor(shared, {3, 2, 1, 1});
  REQUIRE(cut.sizes().vec() == std::vector<int64_t>{3, 2, 1, 1});
  CHECK(at::equal(cut, shared.slice(0, 0, 3).slice(1, 0, 2)));
  CHECK(cut[2][1][0][0].item<float>() == 2100.0f);
}

TEST_CASE("batch-norm, bias and linear tensors take their first features") {
  const at::Tensor vector = at::arange(8, at::kFloat);
  CHECK(at::equal(cut_shared_tensor(vector, {5}), at::arange(5, at::kFloat)));
  const at::Tensor matrix = at::arange(12, at::kFloat).reshape({3, 4});
  CHECK(at::equal(cut_shared_tensor(matrix, {2, 3}), at::tensor({0.f, 1.f, 2.f, 4.f, 5.f, 6.f}).reshape({2, 3})));
}

TEST_CASE("a smaller kernel without transformation matrices is the centre of the largest") {
  const at::Tensor shared = indexed_filter(2, 1, 7);
  const at::Tensor cut = cut_shared_tensor(shared, {2, 1, 3, 3});
  REQUIRE(cut.sizes().vec() == std::vector<int64_t>{2, 1, 3, 3});
  // Rows and columns 2..4 of the 7x7.
  CHECK(cut[1][0][0][0].item<float>() == 1022.0f);
  CHECK(cut[1][0][2][2].item<float>() == 1044.0f);
}

TEST_CASE("without a kernel step the cut is a view: changes to the shared tensor reach it") {
  at::Tensor shared = indexed_filter(4, 2, 3);
  const at::Tensor cut = cut_shared_tensor(shared, {2, 2, 3, 3});
  shared[1][1][2][2] = -5.0f;
  CHECK(cut[1][1][2][2].item<float>() == -5.0f);
}

TEST_CASE("kernel 7 to 5 applies the matrix to each flattened 5x5 centre as x @ M^T") {
  const at::Tensor shared = indexed_filter(2, 1, 7);
  // A matrix that is not symmetric, so x @ M and x @ M^T differ.
  const at::Tensor m = at::eye(25, at::kFloat) + 0.01 * at::arange(625, at::kFloat).reshape({25, 25}) / 625.0;
  const at::Tensor cut = cut_shared_tensor(shared, {2, 1, 5, 5}, {KernelTransform{5, m}});
  REQUIRE(cut.sizes().vec() == std::vector<int64_t>{2, 1, 5, 5});
  for (int64_t o = 0; o < 2; ++o) {
    const at::Tensor x = shared[o][0].slice(0, 1, 6).slice(1, 1, 6).reshape({25});
    at::Tensor expected = at::zeros({25}, at::kFloat);
    for (int64_t r = 0; r < 25; ++r) {
      double sum = 0;
      for (int64_t c = 0; c < 25; ++c) sum += x[c].item<double>() * m[r][c].item<double>();  // (x @ M^T)[r]
      expected[r] = sum;
    }
    CHECK(at::allclose(cut[o][0].reshape({25}), expected, 1e-6, 1e-3));
  }
}

TEST_CASE("kernel 7 to 3 goes through 7to5 and then 5to3 on the 3x3 centre of the result") {
  const at::Tensor shared = at::randn({3, 1, 7, 7}, at::TensorOptions().dtype(at::kDouble)).to(at::kFloat);
  const at::Tensor m75 = at::eye(25, at::kFloat) + 0.1 * at::rand({25, 25}, at::kFloat);
  const at::Tensor m53 = at::eye(9, at::kFloat) + 0.1 * at::rand({9, 9}, at::kFloat);
  const at::Tensor cut = cut_shared_tensor(shared, {3, 1, 3, 3}, {KernelTransform{5, m75}, KernelTransform{3, m53}});
  const at::Tensor five = at::matmul(shared.slice(2, 1, 6).slice(3, 1, 6).reshape({3, 25}), m75.t()).reshape({3, 1, 5, 5});
  const at::Tensor three = at::matmul(five.slice(2, 1, 4).slice(3, 1, 4).reshape({3, 9}), m53.t()).reshape({3, 1, 3, 3});
  CHECK(at::allclose(cut, three, 1e-5, 1e-6));
  // Not the plain centre: the matrices matter.
  CHECK_FALSE(at::allclose(cut, shared.slice(2, 2, 5).slice(3, 2, 5), 1e-3, 1e-3));
}

TEST_CASE("identity kernel matrices give the plain centre") {
  const at::Tensor shared = at::randn({2, 1, 7, 7});
  const at::Tensor cut =
      cut_shared_tensor(shared, {2, 1, 3, 3}, {KernelTransform{5, at::eye(25)}, KernelTransform{3, at::eye(9)}});
  CHECK(at::allclose(cut, shared.slice(2, 2, 5).slice(3, 2, 5)));
}

TEST_CASE("nhwc_strided gives tensors with a size-1 dimension the strides that convolutions read as NHWC") {
  // Depthwise and 1x1 filters and grey images: their NCHW strides also pass
  // as channels-last contiguous, so contiguous(ChannelsLast) keeps them and
  // a convolution reads the tensor as NCHW. nhwc_strided() must not.
  for (const std::vector<int64_t>& shape : std::vector<std::vector<int64_t>>{{8, 1, 7, 7}, {16, 8, 1, 1}, {4, 1, 28, 28},
                                                                             {4, 3, 5, 6}}) {
    const at::Tensor t = at::randn(shape);
    const at::Tensor nhwc = libtorch::nhwc_strided(t);
    INFO(shape[0] << "x" << shape[1] << "x" << shape[2] << "x" << shape[3]);
    CHECK(nhwc.suggest_memory_format() == at::MemoryFormat::ChannelsLast);
    CHECK(nhwc.stride(1) == 1);
    CHECK(at::equal(nhwc, t));
    // Already in those strides: the tensor itself, no copy.
    CHECK(libtorch::nhwc_strided(nhwc).data_ptr() == nhwc.data_ptr());
  }
  const at::Tensor flat = at::randn({3, 5});
  CHECK(libtorch::nhwc_strided(flat).data_ptr() == flat.data_ptr());
}

TEST_CASE("channels_last lays CPU tensors out as contiguous(ChannelsLast) does: NHWC strides are for CUDA tensors") {
  // A depthwise filter on the CPU keeps its NCHW strides (no copy); one with
  // several input channels gets NHWC ones. The CUDA side: test_train's
  // CUDA cases.
  const at::Tensor depthwise = at::randn({8, 1, 7, 7});
  CHECK(libtorch::channels_last(depthwise).data_ptr() == depthwise.data_ptr());
  const at::Tensor dense = at::randn({4, 3, 5, 6});
  const at::Tensor dense_last = libtorch::channels_last(dense);
  CHECK(dense_last.suggest_memory_format() == at::MemoryFormat::ChannelsLast);
  CHECK(at::equal(dense_last, dense));
  const at::Tensor flat = at::randn({3, 5});
  CHECK(libtorch::channels_last(flat).data_ptr() == flat.data_ptr());
}

TEST_CASE("slices of NHWC shared filters are NHWC, depthwise and 1x1 ones included, NCHW ones stay NCHW") {
  const at::Tensor depthwise = libtorch::nhwc_strided(at::randn({8, 1, 7, 7}));
  const at::Tensor centre = cut_shared_tensor(depthwise, {6, 1, 5, 5});
  CHECK(centre.suggest_memory_format() == at::MemoryFormat::ChannelsLast);
  CHECK(at::equal(centre, depthwise.slice(0, 0, 6).slice(2, 1, 6).slice(3, 1, 6)));
  const at::Tensor pointwise = libtorch::nhwc_strided(at::randn({16, 8, 1, 1}));
  const at::Tensor narrow = cut_shared_tensor(pointwise, {12, 6, 1, 1});
  CHECK(narrow.suggest_memory_format() == at::MemoryFormat::ChannelsLast);
  CHECK(at::equal(narrow, pointwise.slice(0, 0, 12).slice(1, 0, 6)));
  // A kernel transformation's product is laid out for the shared tensor's
  // device (libtorch::channels_last): on the CPU channels-last contiguous.
  const at::Tensor transform = at::randn({25, 25});
  const at::Tensor transformed = cut_shared_tensor(depthwise, {6, 1, 5, 5}, {KernelTransform{5, transform}});
  CHECK(transformed.is_contiguous(at::MemoryFormat::ChannelsLast));
  CHECK(at::allclose(transformed, cut_shared_tensor(depthwise.contiguous(), {6, 1, 5, 5}, {KernelTransform{5, transform}})));
  CHECK(cut_shared_tensor(at::randn({8, 1, 7, 7}), {6, 1, 5, 5}, {KernelTransform{5, transform}})
            .suggest_memory_format() == at::MemoryFormat::Contiguous);
}

TEST_CASE("the engine cuts a sub-network's tensors from the super-network by the space's bindings") {
  test::TinySpace space;
  supernet::SuperNetwork net(space, 3);
  const supernet::StateDict shared = net.state_dict();
  {
    c10::NoGradGuard no_grad;
    shared.at("conv.3to1_matrix").fill_(2.0);  // kernel 1 = centre tap * 2
    shared.at("bn.weight").copy_(at::tensor({1.f, 2.f, 3.f, 4.f}));
  }
  const supernet::SubNetwork sub = net.activate({0, 0});  // width 2, kernel 1
  const supernet::StateDict own = sub.state_dict();
  CHECK(own.at("l0_weight").sizes().vec() == std::vector<int64_t>{2, 2, 1, 1});
  CHECK(at::allclose(own.at("l0_weight"), 2.0 * shared.at("conv.weight").slice(0, 0, 2).slice(2, 1, 2).slice(3, 1, 2)));
  CHECK(at::equal(own.at("l0_bn_weight"), at::tensor({1.f, 2.f})));
  CHECK(at::equal(own.at("l2_weight"), shared.at("fc.weight").slice(1, 0, 2)));
  CHECK(at::equal(own.at("l2_bias"), shared.at("fc.bias")));
  CHECK(sub.parameter_count() == count_cost(sub.spec()).params);
}

TEST_CASE("a fresh super-network is initialised as Once-for-All's he_fout init_model") {
  test::TinySpace space;
  const supernet::SuperNetwork net(space, 11);
  const supernet::StateDict s = net.state_dict();
  CHECK(at::equal(s.at("bn.weight"), at::ones({4})));
  CHECK(at::equal(s.at("bn.bias"), at::zeros({4})));
  CHECK(at::equal(s.at("bn.running_mean"), at::zeros({4})));
  CHECK(at::equal(s.at("bn.running_var"), at::ones({4})));
  CHECK(at::equal(s.at("conv.3to1_matrix"), at::ones({1, 1})));
  CHECK(at::equal(s.at("fc.bias"), at::zeros({3})));
  CHECK(s.at("fc.weight").abs().max().item<double>() <= 0.5);  // uniform in +-1/sqrt(4)
  CHECK(s.at("conv.weight").abs().sum().item<double>() > 0.0);
  // Same seed, same weights.
  CHECK(at::equal(supernet::SuperNetwork(space, 11).state_dict().at("conv.weight"), s.at("conv.weight")));
  CHECK_FALSE(at::equal(supernet::SuperNetwork(space, 12).state_dict().at("conv.weight"), s.at("conv.weight")));
}

TEST_CASE("a layer wider than the super-network's tensor is an architecture error naming both shapes") {
  test::TinySpace space(true, test::TinySpace::Flaw::TooWide);
  const supernet::SuperNetwork net(space, 0);
  const std::string message = test::error_of([&] { net.activate({1, 1}); });
  CHECK(message.find("outside the tiny super-network") != std::string::npos);
  CHECK(message.find("[8, 2, 3, 3]") != std::string::npos);
  CHECK(message.find("[4, 2, 3, 3]") != std::string::npos);
  CHECK(message.find("conv.weight") != std::string::npos);
  CHECK(message.find("fix:") != std::string::npos);
  CHECK_THROWS_AS(net.activate({1, 1}), ArchitectureError);
}

TEST_CASE("an architecture the space does not hold is an architecture error") {
  test::TinySpace space;
  const supernet::SuperNetwork net(space, 0);
  CHECK_THROWS_AS(net.activate({2, 0}), ArchitectureError);
  CHECK_THROWS_AS(net.activate({0}), ArchitectureError);
}

TEST_CASE("a space that binds a tensor twice or not at all is reported as a bug in the space") {
  for (auto flaw : {test::TinySpace::Flaw::BoundTwice, test::TinySpace::Flaw::Unbound}) {
    test::TinySpace space(true, flaw);
    const supernet::SuperNetwork net(space, 0);
    const std::string message = test::error_of([&] { net.activate({0, 1}); });
    CHECK(message.find("bug in the space plugin") != std::string::npos);
    CHECK(message.find("'bias'") != std::string::npos);
  }
}

TEST_CASE("a space without the WeightSharing face has no super-network") {
  struct PlainSpace : SearchSpace {
    std::vector<DecisionVariable> vars{numeric_variable("x", {1, 2})};
    const std::vector<DecisionVariable>& variables() const override { return vars; }
    NetworkSpec lower(const Architecture&) const override {
      NetworkBuilder b("plain", {1, 2, 2});
      b.global_avg_pool();
      return std::move(b).finish();
    }
  } plain;
  const std::string message = test::error_of([&] { supernet::SuperNetwork(plain, 0); });
  CHECK(message.find("WeightSharing") != std::string::npos);
  CHECK(message.find("fix:") != std::string::npos);
}
