// EagerNetwork: shapes, parameter counts, determinism and op semantics.
#include "torch_doctest.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "specs.hpp"

using namespace nasctl;
using nasctl::libtorch::EagerNetwork;

namespace {

std::vector<int64_t> expected_sizes(const NetworkSpec& spec, int64_t batch) {
  const TensorShape& out = spec.output();
  if (spec.layers.back().op == OpKind::Linear) return {batch, out.channels};
  return {batch, out.channels, out.height, out.width};
}

// A one-layer spec on a given input, built by hand (no builder helper for
// arbitrary padding/offset combinations).
NetworkSpec single_layer(TensorShape input, Layer layer) {
  NetworkSpec spec;
  spec.name = "single";
  spec.input = input;
  layer.inputs = {kNetworkInput};
  layer.in = input;
  spec.layers.push_back(layer);
  return spec;
}

// [1, C, H, W] whose channel c is filled with the value c.
at::Tensor channel_index_input(int64_t c, int64_t h, int64_t w) {
  return at::arange(c, at::kFloat).reshape({1, c, 1, 1}).expand({1, c, h, w}).contiguous();
}

}  // namespace

TEST_CASE("eager forward output shape equals spec.output() for every test network") {
  c10::InferenceMode guard;
  for (const NetworkSpec& spec : {test::mobilenet_like(), test::shufflenet_like(), test::grouped_net()}) {
    CAPTURE(spec.name);
    EagerNetwork net(spec, 7);
    const at::Tensor y = net.forward(libtorch::random_input(spec, 2, 1));
    CHECK(y.sizes().vec() == expected_sizes(spec, 2));
    CHECK(at::isfinite(y).all().item<bool>());
  }
}

TEST_CASE("eager parameter count equals count_cost(spec).params counting BN affine pairs but not running stats") {
  for (const NetworkSpec& spec : {test::mobilenet_like(), test::shufflenet_like(), test::grouped_net()}) {
    CAPTURE(spec.name);
    EagerNetwork net(spec, 0);
    CHECK(libtorch::parameter_count(net) == count_cost(spec).params);
    CHECK(net.buffers().size() > 0);  // running statistics exist, as buffers
  }
}

TEST_CASE("same seed gives bit-identical weights and outputs and another seed differs") {
  c10::InferenceMode guard;
  const NetworkSpec spec = test::mobilenet_like();
  EagerNetwork a(spec, 3), b(spec, 3), c(spec, 4);
  CHECK(at::equal(a.layer_tensors(0).weight, b.layer_tensors(0).weight));
  CHECK_FALSE(at::equal(a.layer_tensors(0).weight, c.layer_tensors(0).weight));
  const at::Tensor x = libtorch::random_input(spec, 1, 9);
  CHECK(at::equal(a.forward(x), b.forward(x)));
  CHECK_FALSE(at::equal(a.forward(x), c.forward(x)));
}

TEST_CASE("batch-norm running statistics are not the identity so folding them matters") {
  EagerNetwork net(test::mobilenet_like(), 0);
  const auto& t = net.layer_tensors(0);
  CHECK(t.bn_var.min().item<float>() < 0.99f);
  CHECK(t.bn_mean.abs().max().item<float>() > 0.01f);
  CHECK_FALSE(net.is_training());
}

TEST_CASE("folding batch norms into the convolutions keeps the function and leaves no convolution with a batch norm") {
  for (const NetworkSpec& spec : {test::mobilenet_like(), test::shufflenet_like(), test::grouped_net()}) {
    CAPTURE(spec.name);
    EagerNetwork plain(spec, 5), folded(spec, 5);
    folded.fold_batch_norms();
    for (std::size_t i = 0; i < spec.layers.size(); ++i) {
      if (spec.layers[i].op != OpKind::Conv2d || !spec.layers[i].batch_norm) continue;
      CHECK_FALSE(folded.spec().layers[i].batch_norm);
      CHECK(folded.spec().layers[i].bias);
    }
    c10::InferenceMode guard;
    const at::Tensor x = libtorch::random_input(spec, 2, 3);
    const at::Tensor expected = plain.forward(x);
    CHECK(expected.abs().max().item<double>() > 1e-3);
    CHECK((folded.forward(x) - expected).abs().max().item<double>() <= 1e-4 * expected.abs().max().item<double>() + 1e-5);
  }
}

TEST_CASE("avg pool excludes padding from the average (count_include_pad = false)") {
  c10::InferenceMode guard;
  Layer pool;
  pool.op = OpKind::AvgPool2d;
  pool.kernel = 3;
  pool.stride = 1;
  pool.padding = 1;
  pool.out = {2, 4, 4};
  EagerNetwork net(single_layer({2, 4, 4}, pool), 0);
  const at::Tensor y = net.forward(at::ones({1, 2, 4, 4}));
  // Corners would be 4/9 if the zero padding were counted.
  CHECK(at::allclose(y, at::ones({1, 2, 4, 4})));
}

TEST_CASE("ceil-mode pools on an odd map: one more row and column, the edge windows pool only what they cover") {
  // 2x2 stride-2 pools of a 5x5 map, as OFA ResNet's downsample branch on
  // any odd map: floor mode drops the last row and column (2x2 out), ceil
  // mode keeps them (3x3 out), pooling a 2x1, 1x2 or 1x1 window there.
  // Expected values by hand from the window contents.
  c10::InferenceMode guard;
  const at::Tensor x = at::arange(25, at::kFloat).reshape({1, 1, 5, 5});
  auto window = [&](int64_t i, int64_t j, bool max) {
    double sum = 0, best = -1e30;
    int64_t count = 0;
    for (int64_t r = 2 * i; r < std::min<int64_t>(2 * i + 2, 5); ++r)
      for (int64_t c = 2 * j; c < std::min<int64_t>(2 * j + 2, 5); ++c) {
        const double v = static_cast<double>(r * 5 + c);
        sum += v;
        best = std::max(best, v);
        ++count;
      }
    return max ? best : sum / static_cast<double>(count);
  };
  auto pooled = [](TensorShape in, bool max, int kernel, int stride, int padding, bool ceil_mode) {
    NetworkBuilder b("pool", in);
    if (max) b.max_pool(kernel, stride, padding, ceil_mode);
    else b.avg_pool(kernel, stride, padding, ceil_mode);
    return std::move(b).finish();
  };
  for (const bool max : {false, true}) {
    CAPTURE(max);
    const NetworkSpec floor_spec = pooled({1, 5, 5}, max, 2, 2, 0, false);
    const NetworkSpec ceil_spec = pooled({1, 5, 5}, max, 2, 2, 0, true);
    CHECK(floor_spec.output() == TensorShape{1, 2, 2});
    CHECK(ceil_spec.output() == TensorShape{1, 3, 3});
    CHECK(ceil_spec.layers[0].key() == floor_spec.layers[0].key().substr(0, floor_spec.layers[0].key().find('|')) +
                                           "|1x5x5|1x3x3|k2|s2|p0|ceil");
    const at::Tensor y = EagerNetwork(ceil_spec, 0).forward(x);
    REQUIRE(y.sizes() == at::IntArrayRef{1, 1, 3, 3});
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 3; ++j) CHECK(y[0][0][i][j].item<double>() == doctest::Approx(window(i, j, max)));
    // On an even map the two modes are one function of one shape.
    CHECK(pooled({1, 4, 4}, max, 2, 2, 0, true).output() == TensorShape{1, 2, 2});
  }
  // With padding, PyTorch drops a last window that would start past the
  // input and its left padding: 5 wide, k3 s3 p1 gives ceil(4 / 3) + 1 = 3
  // windows, the third starting at 6 - 1 = 5 >= 5, so 2 (floor mode: 2 too);
  // 6 wide, k3 s2 p1 gives ceil(5 / 2) + 1 = 4 (floor mode: 3).
  struct Case {
    int64_t size;
    int kernel, stride, padding;
    int64_t out;
  };
  for (const Case c : {Case{5, 3, 3, 1, 2}, Case{6, 3, 2, 1, 4}}) {
    CAPTURE(c.size);
    const NetworkSpec spec = pooled({1, c.size, c.size}, false, c.kernel, c.stride, c.padding, true);
    CHECK(spec.output() == TensorShape{1, c.out, c.out});
    CHECK(EagerNetwork(spec, 0).forward(at::ones({1, 1, c.size, c.size})).sizes() ==
          at::IntArrayRef{1, 1, c.out, c.out});
  }
}

TEST_CASE("ceil_mode on a layer that is not a pool is refused by check_network") {
  NetworkBuilder b("conv", {3, 8, 8});
  b.conv(4, 3, 1, 1, false, ActivationKind::None);
  NetworkSpec spec = std::move(b).finish();
  spec.layers[0].ceil_mode = true;
  CHECK_THROWS_WITH_AS(check_network(spec), doctest::Contains("only the pools have a ceil mode"), Error);
}

TEST_CASE("channel slice takes the channels from offset to offset + out.channels") {
  c10::InferenceMode guard;
  Layer slice;
  slice.op = OpKind::ChannelSlice;
  slice.hidden = 2;
  slice.out = {3, 2, 2};
  EagerNetwork net(single_layer({6, 2, 2}, slice), 0);
  const at::Tensor y = net.forward(channel_index_input(6, 2, 2));
  CHECK(at::equal(y.select(0, 0).select(1, 0).select(1, 0), at::arange(2, 5, at::kFloat)));
}

TEST_CASE("channel shuffle with 2 groups interleaves the halves: 0 1 2 3 -> 0 2 1 3") {
  c10::InferenceMode guard;
  Layer shuffle;
  shuffle.op = OpKind::ChannelShuffle;
  shuffle.groups = 2;
  shuffle.out = {4, 3, 3};
  EagerNetwork net(single_layer({4, 3, 3}, shuffle), 0);
  const at::Tensor y = net.forward(channel_index_input(4, 3, 3));
  const at::Tensor expected = at::tensor(std::vector<float>{0, 2, 1, 3});
  CHECK(at::equal(y.select(0, 0).select(1, 1).select(1, 1), expected));
}

TEST_CASE("squeeze-excite scales each channel by one factor between 0 and 1") {
  c10::InferenceMode guard;
  NetworkBuilder b("se", {8, 5, 5});
  b.squeeze_excite(4);
  EagerNetwork net(std::move(b).finish(), 1);
  const at::Tensor x = at::rand({1, 8, 5, 5}) + 0.5;
  const at::Tensor ratio = net.forward(x) / x;
  // One factor per channel: constant over the spatial positions.
  CHECK(at::allclose(ratio, ratio.select(2, 0).select(2, 0).reshape({1, 8, 1, 1}).expand_as(ratio), 1e-5, 1e-6));
  CHECK(ratio.min().item<float>() >= 0.0f);
  CHECK(ratio.max().item<float>() <= 1.0f);
}

TEST_CASE("an inconsistent spec is rejected with an error naming the layer") {
  NetworkSpec spec = test::mobilenet_like();
  spec.layers[3].inputs = {7};  // a later layer: not a DAG in topological order
  CHECK_THROWS_WITH_AS(EagerNetwork(spec, 0), doctest::Contains("layer 3"), nasctl::Error);
}
