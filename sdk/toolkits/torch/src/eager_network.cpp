// EagerNetwork: deterministic initialisation and the DAG forward pass.
#include "nasctl/torch/eager_network.hpp"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/irange.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::libtorch {

namespace {

at::Tensor normal(at::IntArrayRef shape, double stddev, at::Generator& gen) {
  return at::empty(shape, at::kFloat).normal_(0.0, stddev, gen);
}

at::Tensor uniform(at::IntArrayRef shape, double lo, double hi, at::Generator& gen) {
  return at::empty(shape, at::kFloat).uniform_(lo, hi, gen);
}

// Kaiming-normal gain: the rectifying activations halve the second moment.
double gain(ActivationKind act) {
  switch (act) {
    case ActivationKind::ReLU:
    case ActivationKind::ReLU6:
    case ActivationKind::HardSwish:
      return 2.0;
    default:
      return 1.0;
  }
}

at::Tensor activate(const at::Tensor& x, ActivationKind act) {
  switch (act) {
    case ActivationKind::None: return x;
    case ActivationKind::ReLU: return at::relu(x);
    case ActivationKind::ReLU6: return at::hardtanh(x, 0.0, 6.0);  // what nn::ReLU6 computes
    case ActivationKind::HardSwish: return at::hardswish(x);
    case ActivationKind::HardSigmoid: return at::hardsigmoid(x);
    case ActivationKind::Sigmoid: return at::sigmoid(x);
    case ActivationKind::GELU: return at::gelu(x);  // exact (erf), nn::GELU's default
    case ActivationKind::Tanh: return at::tanh(x);
  }
  return x;
}

at::Tensor conv(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, int64_t stride,
                int64_t padding, int64_t groups) {
  const std::vector<int64_t> strides{stride, stride}, paddings{padding, padding}, dilations{1, 1};
  return at::conv2d(x, w, b, at::IntArrayRef(strides), at::IntArrayRef(paddings),
                    at::IntArrayRef(dilations), groups);
}

at::Tensor batch_norm(const at::Tensor& x, const LayerTensors& t) {
  return at::batch_norm(x, t.bn_weight, t.bn_bias, t.bn_mean, t.bn_var, /*training=*/false,
                        /*momentum=*/0.1, EagerNetwork::kBatchNormEps, /*cudnn_enabled=*/true);
}

// [batch, C, H, W] <-> [batch, H*W, C].
at::Tensor to_tokens(const at::Tensor& x) { return x.flatten(2).transpose(1, 2); }
at::Tensor to_channels(const at::Tensor& x, const TensorShape& s) {
  return x.transpose(1, 2).reshape({x.size(0), s.channels, s.height, s.width});
}

// Additive causal mask: -inf where key j lies after query i.
at::Tensor causal_mask(int64_t queries, int64_t keys) {
  return at::full({queries, keys}, -std::numeric_limits<float>::infinity(), at::kFloat).triu(1);
}

}  // namespace

std::vector<bool> token_major_layers(const NetworkSpec& spec) {
  std::vector<bool> tokens(spec.layers.size(), false);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const Layer& l = spec.layers[i];
    const bool first = l.inputs[0] != kNetworkInput && tokens[l.inputs[0]];
    switch (l.op) {
      case OpKind::Embedding:
      case OpKind::LayerNorm:
      case OpKind::Attention:
      case OpKind::TokenConcat:
      case OpKind::ToSequence:
      case OpKind::ClassToken:
      case OpKind::PositionEmbedding:
      case OpKind::TokenSlice:
        tokens[i] = true;
        break;
      case OpKind::Linear:
        // Per position when it keeps the positions; a 1x1 -> 1x1 one follows its input.
        tokens[i] = l.out.height == l.in.height && l.out.width == l.in.width &&
                    (l.out.height * l.out.width > 1 || first);
        break;
      case OpKind::Add:
      case OpKind::Activation:
        tokens[i] = first;
        break;
      default:
        break;
    }
  }
  return tokens;
}

at::Tensor sinusoidal_positions(int64_t tokens, int64_t features) {
  const int64_t half = features / 2;
  const double step = std::log(10000.0) / static_cast<double>(std::max<int64_t>(half - 1, 1));
  const at::Tensor freq = at::exp(at::arange(half, at::kFloat) * -step);
  const at::Tensor pos = at::arange(2, tokens + 2, at::kFloat).unsqueeze(1) * freq.unsqueeze(0);
  at::Tensor table = at::cat({at::sin(pos), at::cos(pos)}, 1);
  if (features % 2) table = at::cat({table, at::zeros({tokens, 1}, at::kFloat)}, 1);
  return table;
}

EagerNetwork::EagerNetwork(NetworkSpec spec, uint64_t seed) : spec_(std::move(spec)) {
  check_network(spec_);
  const int n = static_cast<int>(spec_.layers.size());
  tensors_.resize(n);
  last_use_.assign(n, -1);
  for (int i = 0; i < n; ++i) {
    for (int src : spec_.layers[i].inputs) {
      if (src != kNetworkInput) last_use_[src] = i;
    }
  }
  token_major_ = token_major_layers(spec_);
  at::Generator gen = at::detail::createCPUGenerator(seed);
  for (int i = 0; i < n; ++i) init_layer(i, gen);
  eval();
}

void EagerNetwork::init_layer(int index, at::Generator& gen) {
  const Layer& l = spec_.layers[index];
  LayerTensors& t = tensors_[index];
  const std::string prefix = "l" + std::to_string(index) + "_";
  auto param = [&](const char* role, at::Tensor value) {
    return register_parameter(prefix + role, std::move(value), /*requires_grad=*/false);
  };
  auto buffer = [&](const char* role, at::Tensor value) { return register_buffer(prefix + role, std::move(value)); };
  // Batch-norm statistics drawn so that the expected scale gamma^2 / var is
  // about 1 (E[gamma^2] = 0.65, E[1/var] = 1.39): activations keep their
  // magnitude through deep networks, yet folding BN changes every weight.
  auto add_batch_norm = [&](int64_t channels) {
    t.bn_weight = param("bn_weight", uniform({channels}, 0.6, 1.0, gen));
    t.bn_bias = param("bn_bias", normal({channels}, 0.1, gen));
    t.bn_mean = buffer("bn_mean", normal({channels}, 0.1, gen));
    t.bn_var = buffer("bn_var", uniform({channels}, 0.5, 1.0, gen));
  };
  switch (l.op) {
    case OpKind::Conv2d: {
      const int64_t per_group = l.in.channels / l.groups;
      const int64_t fan_in = per_group * l.kernel * l.kernel;
      t.weight = param("weight", normal({l.out.channels, per_group, l.kernel, l.kernel},
                                        std::sqrt(gain(l.activation) / fan_in), gen));
      if (l.bias) t.bias = param("bias", normal({l.out.channels}, 0.01, gen));
      if (l.batch_norm) add_batch_norm(l.out.channels);
      return;
    }
    case OpKind::Linear: {
      const int64_t fan_in = l.in.elements() / (l.out.height * l.out.width);
      t.weight = param("weight", normal({l.out.channels, fan_in}, std::sqrt(gain(l.activation) / fan_in), gen));
      if (l.bias) t.bias = param("bias", normal({l.out.channels}, 0.01, gen));
      return;
    }
    case OpKind::SqueezeExcite: {
      const int64_t c = l.in.channels;
      const int64_t r = l.hidden;
      t.se_w1 = param("se_w1", normal({r, c, 1, 1}, std::sqrt(2.0 / c), gen));
      t.se_b1 = param("se_b1", normal({r}, 0.01, gen));
      t.se_w2 = param("se_w2", normal({c, r, 1, 1}, std::sqrt(1.0 / r), gen));
      t.se_b2 = param("se_b2", normal({c}, 0.01, gen));
      return;
    }
    case OpKind::BatchNorm2d:
      add_batch_norm(l.in.channels);
      return;
    case OpKind::Embedding:
      // fairseq's initialisation: N(0, F^-1/2), so scaled by sqrt(F) the vectors are unit-variance.
      t.weight = param("weight", normal({l.hidden, l.out.channels}, 1.0 / std::sqrt(l.out.channels), gen));
      if (l.kernel == 0) {
        // A plain lookup (BERT): unit-variance vectors, positions added by a later layer.
        t.weight.mul_(std::sqrt(static_cast<double>(l.out.channels)));
        return;
      }
      t.extra = buffer("positions", sinusoidal_positions(l.out.height, l.out.channels));
      return;
    case OpKind::ClassToken:
      t.weight = param("weight", normal({l.out.channels}, 1.0, gen));
      return;
    case OpKind::PositionEmbedding:
      t.weight = param("weight", normal({l.hidden, l.out.channels}, 0.1, gen));
      return;
    case OpKind::LayerNorm:
      t.weight = param("weight", uniform({l.in.channels}, 0.6, 1.0, gen));
      t.bias = param("bias", normal({l.in.channels}, 0.1, gen));
      return;
    case OpKind::Attention:
      if (l.causal) t.extra = buffer("mask", causal_mask(l.out.height, l.hidden));
      return;
    default:
      return;  // no tensors
  }
}

at::Tensor EagerNetwork::run_layer(int index, const std::vector<at::Tensor>& values, const at::Tensor& input) const {
  const Layer& l = spec_.layers[index];
  const LayerTensors& t = tensors_[index];
  auto in = [&](std::size_t k) -> at::Tensor {
    const int src = l.inputs[k];
    if (src == kNetworkInput) return token_major_[index] && l.op != OpKind::Embedding ? to_tokens(input) : input;
    const bool produced_tokens = token_major_[src];
    // Sequence layers read tokens, the others channels (a flattening Linear included).
    if (token_major_[index] == produced_tokens) return values[src];
    return produced_tokens ? to_channels(values[src], spec_.layers[src].out) : to_tokens(values[src]);
  };
  switch (l.op) {
    case OpKind::Conv2d: {
      at::Tensor y = conv(in(0), t.weight, t.bias, l.stride, l.padding, l.groups);
      if (l.batch_norm) y = batch_norm(y, t);
      return activate(y, l.activation);
    }
    case OpKind::Linear:
      if (token_major_[index]) return activate(at::linear(in(0), t.weight, t.bias), l.activation);
      return activate(at::linear(in(0).flatten(1), t.weight, t.bias), l.activation);
    case OpKind::SqueezeExcite: {
      at::Tensor s = at::adaptive_avg_pool2d(in(0), {1, 1});
      s = at::relu(conv(s, t.se_w1, t.se_b1, 1, 0, 1));
      s = at::hardsigmoid(conv(s, t.se_w2, t.se_b2, 1, 0, 1));
      return in(0) * s;
    }
    case OpKind::GlobalAvgPool:
      return at::adaptive_avg_pool2d(in(0), {1, 1});
    case OpKind::AvgPool2d:
      return at::avg_pool2d(in(0), {l.kernel, l.kernel}, {l.stride, l.stride}, {l.padding, l.padding}, l.ceil_mode,
                            /*count_include_pad=*/false);
    case OpKind::MaxPool2d:
      return at::max_pool2d(in(0), {l.kernel, l.kernel}, {l.stride, l.stride}, {l.padding, l.padding},
                            /*dilation=*/{1, 1}, l.ceil_mode);
    case OpKind::Add: {
      at::Tensor sum = in(0) + in(1);
      for (std::size_t k = 2; k < l.inputs.size(); ++k) sum.add_(in(k));
      return sum;
    }
    case OpKind::Concat: {
      std::vector<at::Tensor> parts;
      for (std::size_t k = 0; k < l.inputs.size(); ++k) parts.push_back(in(k));
      return at::cat(parts, 1);
    }
    case OpKind::ChannelSlice:
      return in(0).narrow(1, l.hidden, l.out.channels);
    case OpKind::ChannelShuffle: {
      const int64_t c = l.in.channels, g = l.groups, h = l.in.height, w = l.in.width;
      return in(0).reshape({-1, g, c / g, h, w}).transpose(1, 2).reshape({-1, c, h, w});
    }
    case OpKind::BatchNorm2d:
      return batch_norm(in(0), t);
    case OpKind::Activation:
      return activate(in(0), l.activation);
    case OpKind::Embedding: {
      const at::Tensor ids = in(0).narrow(2, l.padding, l.out.height).reshape({-1, l.out.height}).to(at::kLong);
      if (l.kernel == 0) return at::embedding(t.weight, ids);
      return at::embedding(t.weight, ids) * std::sqrt(static_cast<double>(l.out.channels)) + t.extra;
    }
    case OpKind::ToSequence:
      return in(0);  // the layout change to [batch, H*W, C] is the conversion in() makes
    case OpKind::ClassToken: {
      const at::Tensor x = in(0);
      return at::cat({t.weight.reshape({1, 1, -1}).expand({x.size(0), 1, l.out.channels}), x}, 1);
    }
    case OpKind::PositionEmbedding:
      if (l.stride == 0) return in(0) + t.weight.narrow(0, 0, 1);
      return in(0) + t.weight.slice(0, 0, (l.in.height - 1) * l.stride + 1, l.stride);
    case OpKind::TokenSlice:
      return in(0).narrow(1, l.hidden, l.out.height);
    case OpKind::LayerNorm:
      return at::layer_norm(in(0), {l.in.channels}, t.weight, t.bias, kLayerNormEps);
    case OpKind::Attention: {
      const int64_t heads = l.groups, d = l.in.channels / heads, tq = l.out.height, tk = l.hidden;
      // [batch, T, D] -> [batch, heads, T, D / heads]
      const at::Tensor q = (in(0) * (1.0 / std::sqrt(static_cast<double>(d)))).reshape({-1, tq, heads, d}).transpose(1, 2);
      const at::Tensor k = in(1).reshape({-1, tk, heads, d}).transpose(1, 2);
      const at::Tensor v = in(2).reshape({-1, tk, heads, d}).transpose(1, 2);
      at::Tensor scores = at::matmul(q, k.transpose(2, 3));
      if (l.causal) scores = scores + t.extra;
      return at::matmul(at::softmax(scores, -1), v).transpose(1, 2).reshape({-1, tq, l.in.channels});
    }
    case OpKind::TokenConcat: {
      std::vector<at::Tensor> parts;
      for (std::size_t k = 0; k < l.inputs.size(); ++k) parts.push_back(in(k));
      return at::cat(parts, 1);
    }
  }
  throw Error("network '" + spec_.name + "' layer " + std::to_string(index) + ": op kind " +
              std::to_string(static_cast<int>(l.op)) + " has no LibTorch lowering; fix: update nasctl_torch");
}

void EagerNetwork::fold_batch_norms() {
  at::NoGradGuard no_grad;
  for (std::size_t i = 0; i < spec_.layers.size(); ++i) {
    Layer& l = spec_.layers[i];
    if (l.op != OpKind::Conv2d || !l.batch_norm) continue;
    LayerTensors& t = tensors_[i];
    const at::Tensor scale = t.bn_weight / at::sqrt(t.bn_var + kBatchNormEps);
    t.weight.mul_(scale.reshape({-1, 1, 1, 1}));
    const at::Tensor bias = t.bias.defined() ? t.bias : at::zeros_like(t.bn_mean);
    const at::Tensor folded = (bias - t.bn_mean) * scale + t.bn_bias;
    if (t.bias.defined())
      t.bias.copy_(folded);
    else
      t.bias = register_parameter("l" + std::to_string(i) + "_bias", folded, /*requires_grad=*/false);
    l.bias = true;
    l.batch_norm = false;
  }
}

at::Tensor EagerNetwork::forward(const at::Tensor& input) {
  const int n = static_cast<int>(spec_.layers.size());
  std::vector<at::Tensor> values(n);
  for (int i = 0; i < n; ++i) {
    values[i] = run_layer(i, values, input);
    // Free what no later layer reads, as an inference runtime would.
    for (int src : spec_.layers[i].inputs) {
      if (src != kNetworkInput && last_use_[src] == i) values[src].reset();
    }
    if (last_use_[i] < 0 && i != n - 1) values[i].reset();
  }
  return values[n - 1];
}

int64_t parameter_count(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const at::Tensor& p : module.parameters()) count += p.numel();
  return count;
}

at::Tensor random_input(const NetworkSpec& spec, int64_t batch, uint64_t seed) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  int64_t vocabulary = 0;
  for (const Layer& l : spec.layers) {
    if (l.op == OpKind::Embedding && l.inputs[0] == kNetworkInput)
      vocabulary = vocabulary ? std::min(vocabulary, l.hidden) : l.hidden;
  }
  const std::vector<int64_t> shape{batch, spec.input.channels, spec.input.height, spec.input.width};
  if (vocabulary) return at::empty(shape, at::kFloat).random_(0, vocabulary, gen);
  return normal(shape, 1.0, gen);
}

}  // namespace nasctl::libtorch
