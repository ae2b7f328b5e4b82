#include "forward.hpp"

#include <ATen/ATen.h>

#include <string>

#include "nasctl/error.hpp"

namespace nasctl::supernet::detail {

namespace {

at::Tensor activate(const at::Tensor& x, ActivationKind act) {
  switch (act) {
    case ActivationKind::None: return x;
    case ActivationKind::ReLU: return at::relu(x);
    case ActivationKind::ReLU6: return at::hardtanh(x, 0.0, 6.0);
    case ActivationKind::HardSwish: return at::hardswish(x);
    case ActivationKind::HardSigmoid: return at::hardsigmoid(x);
    case ActivationKind::Sigmoid: return at::sigmoid(x);
    case ActivationKind::GELU: return at::gelu(x);
    case ActivationKind::Tanh: return at::tanh(x);
  }
  return x;
}

// The mean over width, then over height: the order Once-for-All's networks
// sum in, so that an OFA sub-network's logits are Once-for-All's bit for bit
// (a single mean over both rounds differently, and a deep network amplifies
// such roundings: docs/results.md, "Super-network: logit agreement").
at::Tensor global_average(const at::Tensor& x) { return x.mean({3}, true).mean({2}, true); }

at::Tensor conv(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, int64_t stride, int64_t padding,
                int64_t groups) {
  const std::vector<int64_t> strides{stride, stride}, paddings{padding, padding}, dilations{1, 1};
  return at::conv2d(x, w, b, strides, paddings, dilations, groups);
}

at::Tensor run_layer(const Layer& l, int index, const LayerTensors& t, const BatchNorm& batch_norm,
                     const std::vector<at::Tensor>& values, const at::Tensor& input) {
  auto in = [&](std::size_t k) -> const at::Tensor& {
    const int src = l.inputs[k];
    return src == kNetworkInput ? input : values[src];
  };
  switch (l.op) {
    case OpKind::Conv2d: {
      at::Tensor y = conv(in(0), tensor_of(t, TensorRole::Weight), tensor_of(t, TensorRole::Bias), l.stride,
                          l.padding, l.groups);
      if (l.batch_norm) y = batch_norm(index, y, t);
      return activate(y, l.activation);
    }
    case OpKind::Linear:
      return activate(at::linear(in(0).flatten(1), tensor_of(t, TensorRole::Weight), tensor_of(t, TensorRole::Bias)),
                      l.activation);
    case OpKind::SqueezeExcite: {
      at::Tensor s = global_average(in(0));
      s = at::relu(conv(s, tensor_of(t, TensorRole::SqueezeWeight), tensor_of(t, TensorRole::SqueezeBias), 1, 0, 1));
      s = at::hardsigmoid(conv(s, tensor_of(t, TensorRole::ExciteWeight), tensor_of(t, TensorRole::ExciteBias), 1, 0, 1));
      return in(0) * s;
    }
    case OpKind::GlobalAvgPool:
      return global_average(in(0));
    case OpKind::AvgPool2d:
      return at::avg_pool2d(in(0), {l.kernel, l.kernel}, {l.stride, l.stride}, {l.padding, l.padding}, l.ceil_mode,
                            /*count_include_pad=*/false);
    case OpKind::MaxPool2d:
      return at::max_pool2d(in(0), {l.kernel, l.kernel}, {l.stride, l.stride}, {l.padding, l.padding},
                            /*dilation=*/{1, 1}, l.ceil_mode);
    case OpKind::Add: {
      at::Tensor sum = in(0) + in(1);
      for (std::size_t k = 2; k < l.inputs.size(); ++k) sum = sum + in(k);
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
      return batch_norm(index, in(0), t);
    case OpKind::Activation:
      return activate(in(0), l.activation);
  }
  throw Error("layer " + std::to_string(index) + ": op kind " + std::to_string(static_cast<int>(l.op)) +
              " has no forward pass in nasctl_supernet; fix: update nasctl_supernet");
}

}  // namespace

std::vector<int> last_uses(const NetworkSpec& spec) {
  std::vector<int> last(spec.layers.size(), -1);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    for (int src : spec.layers[i].inputs) {
      if (src != kNetworkInput) last[src] = static_cast<int>(i);
    }
  }
  return last;
}

at::Tensor run_network(const NetworkSpec& spec, const std::vector<int>& last_use, const TensorsOf& tensors_of,
                       const BatchNorm& batch_norm, const at::Tensor& input) {
  const int n = static_cast<int>(spec.layers.size());
  std::vector<at::Tensor> values(n);
  for (int i = 0; i < n; ++i) {
    values[i] = run_layer(spec.layers[i], i, tensors_of(i), batch_norm, values, input);
    // Free what no later layer reads (training keeps what autograd needs).
    for (int src : spec.layers[i].inputs) {
      if (src != kNetworkInput && last_use[src] == i) values[src].reset();
    }
    if (last_use[i] < 0 && i != n - 1) values[i].reset();
  }
  return values[n - 1];
}

}  // namespace nasctl::supernet::detail
