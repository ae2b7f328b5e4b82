// NAS-Bench-201's networks as LibTorch modules: the module built from each
// NetworkSpec has exactly count_cost(spec).params parameters (the hand
// counts of test_nasbench201.cpp), and its forward pass gives the logits
// shape the spec states, sums of three inputs and pass-through cells included.
#include "../torch/torch_doctest.hpp"

#include <ATen/ATen.h>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "nasbench201_space.hpp"
#include "nasctl/rng.hpp"
#include "nasctl/torch/eager_network.hpp"
#include <cmath>
#include "plugin_config.hpp"

using nasctl::Architecture;
using nasctl::spaces::nasbench201::NasBench201;

namespace {

int64_t module_params(const nasctl::NetworkSpec& spec) {
  nasctl::libtorch::EagerNetwork net(spec, 1);
  return nasctl::libtorch::parameter_count(net);
}

void check_forward(const nasctl::NetworkSpec& spec, int64_t classes) {
  c10::InferenceMode guard;
  nasctl::libtorch::EagerNetwork net(spec, 1);
  const at::Tensor y = net.forward(nasctl::libtorch::random_input(spec, 2, 3));
  CHECK(y.sizes().vec() == std::vector<int64_t>{2, classes});
  CHECK(at::isfinite(y).all().item<bool>());
}

// NAS-Bench-201's TinyNetwork computed directly from the cell's six ops, with
// no pruning (a `none` edge contributes zeros, as its Zero op does), on
// weights tied by shape: every convolution of one weight shape uses the same
// tensor, every batch norm of C channels the same statistics. The module
// built from the NetworkSpec gets the same tied weights, so both must agree
// wherever the NetworkSpec's wiring (pruning, shared ReLUs, sums, reductions)
// computes what NAS-Bench-201 computes.
struct TiedWeights {
  std::map<std::vector<int64_t>, at::Tensor> conv;
  at::Tensor linear_weight, linear_bias;
  // Whether batch norms shift (BN(0) != 0): beta and running mean non-zero.
  static inline bool shift = true;

  const at::Tensor& of(std::vector<int64_t> shape) {
    auto it = conv.find(shape);
    if (it == conv.end()) {
      const double fan_in = static_cast<double>(shape[1] * shape[2] * shape[3]);
      at::Tensor w = at::randn(shape, at::kFloat) * std::sqrt(1.0 / fan_in);
      it = conv.emplace(std::move(shape), w).first;
    }
    return it->second;
  }
  static at::Tensor gamma(int64_t c) { return at::linspace(0.8, 1.2, c); }
  static at::Tensor beta(int64_t c) { return at::linspace(-0.1, 0.1, c) * (shift ? 1.0 : 0.0); }
  static at::Tensor mean(int64_t c) { return at::linspace(-0.05, 0.05, c) * (shift ? 1.0 : 0.0); }
  static at::Tensor var(int64_t c) { return at::linspace(0.7, 1.3, c); }
  static at::Tensor bn(const at::Tensor& x) {
    const int64_t c = x.size(1);
    return at::batch_norm(x, gamma(c), beta(c), mean(c), var(c), false, 0.1,
                          nasctl::libtorch::EagerNetwork::kBatchNormEps, false);
  }
};

void tie(nasctl::libtorch::EagerNetwork& net, TiedWeights& w) {
  at::NoGradGuard no_grad;
  const nasctl::NetworkSpec& spec = net.spec();
  for (int i = 0; i < static_cast<int>(spec.layers.size()); ++i) {
    const nasctl::Layer& l = spec.layers[i];
    const nasctl::libtorch::LayerTensors& t = net.layer_tensors(i);
    if (l.op == nasctl::OpKind::Conv2d) t.weight.copy_(w.of({l.out.channels, l.in.channels, l.kernel, l.kernel}));
    if (l.op == nasctl::OpKind::Linear) {
      t.weight.copy_(w.linear_weight);
      t.bias.copy_(w.linear_bias);
    }
    if (l.batch_norm || l.op == nasctl::OpKind::BatchNorm2d) {
      const int64_t c = l.out.channels;
      t.bn_weight.copy_(TiedWeights::gamma(c));
      t.bn_bias.copy_(TiedWeights::beta(c));
      t.bn_mean.copy_(TiedWeights::mean(c));
      t.bn_var.copy_(TiedWeights::var(c));
    }
  }
}

at::Tensor conv(const at::Tensor& x, const at::Tensor& w, int64_t stride) {
  const int64_t pad = w.size(2) / 2;
  return at::conv2d(x, w, {}, {stride, stride}, {pad, pad});
}

at::Tensor tiny_network(const at::Tensor& input, const Architecture& a, TiedWeights& w, int64_t c, int64_t n) {
  at::Tensor t = TiedWeights::bn(conv(input, w.of({c, input.size(1), 3, 3}), 1));
  for (int stage = 0; stage < 3; ++stage) {
    const int64_t cs = c << stage;
    if (stage > 0) {  // ResNet basic block, stride 2
      const at::Tensor y = TiedWeights::bn(conv(at::relu(t), w.of({cs, cs / 2, 3, 3}), 2));
      const at::Tensor main = TiedWeights::bn(conv(at::relu(y), w.of({cs, cs, 3, 3}), 1));
      t = conv(at::avg_pool2d(t, {2, 2}, {2, 2}), w.of({cs, cs / 2, 1, 1}), 1) + main;
    }
    for (int64_t cell = 0; cell < n; ++cell) {
      std::vector<at::Tensor> nodes{t};
      for (int to = 1, e = 0; to < 4; ++to) {
        at::Tensor sum = at::zeros_like(t);
        for (int from = 0; from < to; ++from, ++e) {
          const at::Tensor& x = nodes[from];
          switch (a[e]) {
            case 0: sum = sum + x * 0.0; break;
            case 1: sum = sum + x; break;
            case 2: sum = sum + TiedWeights::bn(conv(at::relu(x), w.of({cs, cs, 1, 1}), 1)); break;
            case 3: sum = sum + TiedWeights::bn(conv(at::relu(x), w.of({cs, cs, 3, 3}), 1)); break;
            case 4: sum = sum + at::avg_pool2d(x, {3, 3}, {1, 1}, {1, 1}, false, false); break;
          }
        }
        nodes.push_back(sum);
      }
      t = nodes[3];
    }
  }
  const at::Tensor pooled = at::relu(TiedWeights::bn(t)).mean({2, 3});
  return at::linear(pooled, w.linear_weight, w.linear_bias);
}

// Whether some nor_conv edge leaves a node that no non-`none` path from the
// cell input reaches: NAS-Bench-201 computes BN(conv(ReLU(0))) there, a
// per-channel constant (the BN shift) added to the target node.
bool conv_from_missing_node(const Architecture& a) {
  std::array<bool, 4> exists{true, false, false, false};
  const std::array<int, 6> to{1, 2, 2, 3, 3, 3}, from{0, 0, 1, 0, 1, 2};
  for (int e = 0; e < 6; ++e) exists[to[e]] = exists[to[e]] || (a[e] != 0 && exists[from[e]]);
  for (int e = 0; e < 6; ++e) {
    if ((a[e] == 2 || a[e] == 3) && !exists[from[e]]) return true;
  }
  return false;
}

// Max |module - TinyNetwork| relative to the output's scale, per architecture.
std::vector<double> differences(const NasBench201& space, const std::vector<Architecture>& archs) {
  at::manual_seed(5);
  TiedWeights w;
  w.linear_weight = at::randn({10, 64}) * 0.1;
  w.linear_bias = at::randn({10}) * 0.1;
  const at::Tensor x = at::randn({2, 3, 16, 16});
  std::vector<double> out;
  for (const Architecture& a : archs) {
    nasctl::libtorch::EagerNetwork net(space.lower(a), 1);
    tie(net, w);
    const at::Tensor reference = tiny_network(x, a, w, 16, 2);
    const double scale = std::max(1.0, reference.abs().max().item<double>());
    out.push_back((net.forward(x) - reference).abs().max().item<double>() / scale);
  }
  return out;
}

std::vector<Architecture> connected_cells(const NasBench201& space) {
  std::vector<Architecture> archs{space.parse("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|"),
                                  space.parse("|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|"),
                                  Architecture{3, 3, 3, 1, 0, 0},   // dead convs to nodes 1 and 2
                                  Architecture{0, 4, 2, 0, 4, 3},   // node 1 does not exist: its pool to node 3 is dead
                                  Architecture{0, 1, 0, 3, 2, 0}};  // ... its conv to node 3 is dead (adds a constant there)
  nasctl::Rng rng(3);
  while (archs.size() < 40) {
    const Architecture a = space.sample(rng);
    if (space.canonicalize(a) != Architecture(6, 0)) archs.push_back(a);  // connected cells only
  }
  return archs;
}

}  // namespace

TEST_CASE("with weights tied by shape, the module built from the NetworkSpec computes NAS-Bench-201's TinyNetwork for 40 connected cells when batch norms map 0 to 0") {
  c10::InferenceMode guard;
  const auto space = nasctl::test::make_plugin<NasBench201>({{"cells_per_stage", int64_t{2}}, {"input_size", int64_t{16}}});
  const std::vector<Architecture> archs = connected_cells(*space);
  TiedWeights::shift = false;
  const std::vector<double> diff = differences(*space, archs);
  for (std::size_t i = 0; i < archs.size(); ++i) {
    CAPTURE(space->to_string(archs[i]));
    CHECK(diff[i] <= 1e-5);
  }
}

TEST_CASE("with shifting batch norms, the pruned network differs from TinyNetwork exactly where a conv edge leaves a missing node (its BN shift, a constant)") {
  c10::InferenceMode guard;
  const auto space = nasctl::test::make_plugin<NasBench201>({{"cells_per_stage", int64_t{2}}, {"input_size", int64_t{16}}});
  const std::vector<Architecture> archs = connected_cells(*space);
  TiedWeights::shift = true;
  const std::vector<double> diff = differences(*space, archs);
  int with_constant = 0;
  for (std::size_t i = 0; i < archs.size(); ++i) {
    CAPTURE(space->to_string(archs[i]));
    if (conv_from_missing_node(archs[i])) {
      ++with_constant;
      CHECK(diff[i] > 1e-3);
    } else {
      CHECK(diff[i] <= 1e-5);
    }
  }
  CHECK(with_constant >= 1);
}

TEST_CASE("the LibTorch module of each hand-counted nasbench201 network has the hand-counted parameters") {
  const auto space = nasctl::test::make_plugin<NasBench201>();
  const std::vector<std::pair<std::string, int64_t>> cases{
      {"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 73'306},
      {"|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|", 73'306},
      {"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 1'531'546},
      {"|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|", 587'386},
  };
  for (const auto& [text, params] : cases) {
    CAPTURE(text);
    const nasctl::NetworkSpec spec = space->lower(space->parse(text));
    CHECK(module_params(spec) == params);
    CHECK(nasctl::count_cost(spec).params == params);
    check_forward(spec, 10);
  }
}

TEST_CASE("random nasbench201 networks (CIFAR-100 and ImageNet16-120) run forward with the spec's shapes and parameters") {
  for (const auto& [classes, size] : std::vector<std::pair<int64_t, int64_t>>{{100, 32}, {120, 16}}) {
    const auto space = nasctl::test::make_plugin<NasBench201>({{"classes", classes}, {"input_size", size}});
    nasctl::Rng rng(11);
    for (int i = 0; i < 12; ++i) {
      const Architecture a = space->sample(rng);
      CAPTURE(space->to_string(a));
      const nasctl::NetworkSpec spec = space->lower(a);
      CHECK(module_params(spec) == nasctl::count_cost(spec).params);
      check_forward(spec, classes);
    }
  }
}
