#include "onnx_layers.hpp"

#include <ATen/ATen.h>

#include <cmath>

#include "batch_norm_folding.hpp"
#include "nasctl/error.hpp"
#include "onnx_sequence_layers.hpp"

namespace nasctl::model_export {

namespace {

// PyTorch's hardsigmoid is relu6(x + 3) / 6 = clamp(x / 6 + 1/2, 0, 1);
// ONNX's HardSigmoid defaults to alpha 0.2, so both are always written.
void hard_sigmoid(GraphWriter& g, const std::string& in, const std::string& out) {
  ::onnx::NodeProto& n = g.node("HardSigmoid", {in}, out);
  set_attribute(n, "alpha", 1.0f / 6.0f);
  set_attribute(n, "beta", 0.5f);
}

}  // namespace

void activation(GraphWriter& g, ActivationKind act, const std::string& in, const std::string& out) {
  switch (act) {
    case ActivationKind::None: g.node("Identity", {in}, out); return;
    case ActivationKind::ReLU: g.node("Relu", {in}, out); return;
    // Clip takes its bounds as inputs since opset 11.
    case ActivationKind::ReLU6: g.node("Clip", {in, g.scalar("relu6_min", 0.0f), g.scalar("relu6_max", 6.0f)}, out); return;
    case ActivationKind::HardSwish: g.node("HardSwish", {in}, out); return;
    case ActivationKind::HardSigmoid: hard_sigmoid(g, in, out); return;
    case ActivationKind::Sigmoid: g.node("Sigmoid", {in}, out); return;
    case ActivationKind::Tanh: g.node("Tanh", {in}, out); return;
    case ActivationKind::GELU:
      // ONNX's Gelu came in opset 20; the exact (erf) form PyTorch's
      // default computes: x * (1 + erf(x / sqrt(2))) / 2.
      g.node("Div", {in, g.scalar("gelu_sqrt2", static_cast<float>(std::sqrt(2.0)))}, out + "_gelu_scaled");
      g.node("Erf", {out + "_gelu_scaled"}, out + "_gelu_erf");
      g.node("Add", {out + "_gelu_erf", g.scalar("gelu_one", 1.0f)}, out + "_gelu_sum");
      g.node("Mul", {in, out + "_gelu_sum"}, out + "_gelu_product");
      g.node("Mul", {out + "_gelu_product", g.scalar("gelu_half", 0.5f)}, out);
      return;
  }
  throw Error(std::string("ONNX export: activation ") + to_string(act) + " has no ONNX lowering; fix: update sdk/toolkits/onnx");
}

namespace {

// The name a layer's main node writes: the layer's output when no
// activation follows, else an intermediate the activation reads.
std::string before_activation(ActivationKind act, const std::string& prefix, const char* step,
                              const std::string& output) {
  return act == ActivationKind::None ? output : prefix + step;
}

void conv(GraphWriter& g, const std::vector<std::string>& inputs, const std::string& out, int64_t kernel,
          int64_t stride, int64_t padding, int64_t groups) {
  ::onnx::NodeProto& n = g.node("Conv", inputs, out);
  set_attribute(n, "kernel_shape", std::vector<int64_t>{kernel, kernel});
  set_attribute(n, "strides", std::vector<int64_t>{stride, stride});
  set_attribute(n, "pads", std::vector<int64_t>{padding, padding, padding, padding});
  set_attribute(n, "dilations", std::vector<int64_t>{1, 1});
  set_attribute(n, "group", groups);
}

::onnx::NodeProto& pool(GraphWriter& g, const char* op, const Layer& l, const std::string& in, const std::string& out) {
  ::onnx::NodeProto& n = g.node(op, {in}, out);
  set_attribute(n, "kernel_shape", std::vector<int64_t>{l.kernel, l.kernel});
  set_attribute(n, "strides", std::vector<int64_t>{l.stride, l.stride});
  const int64_t p = l.padding;
  set_attribute(n, "pads", std::vector<int64_t>{p, p, p, p});
  if (l.ceil_mode) set_attribute(n, "ceil_mode", int64_t{1});
  return n;
}

}  // namespace

void lower_layer(GraphWriter& g, const Layer& l, int index, const libtorch::LayerTensors& t,
                 const std::vector<std::string>& in, const std::string& output, bool token_major, int64_t batch) {
  // A Linear on tokens works per position; the flattening one is below.
  if ((l.op != OpKind::Linear || token_major) && lower_sequence_layer(g, l, index, t, in, output, batch)) return;
  const std::string p = "l" + std::to_string(index) + "_";
  switch (l.op) {
    case OpKind::Conv2d: {
      const std::string y = before_activation(l.activation, p, "conv", output);
      std::vector<std::string> inputs{in[0]};
      if (l.batch_norm) {
        // The deployment form: no BatchNormalization node, its affine
        // transform lives in the convolution's weight and bias.
        const FoldedConv folded = fold_batch_norm(t, libtorch::EagerNetwork::kBatchNormEps);
        inputs.push_back(g.tensor(p + "weight", folded.weight));
        inputs.push_back(g.tensor(p + "bias", folded.bias));
      } else {
        inputs.push_back(g.tensor(p + "weight", t.weight));
        if (t.bias.defined()) inputs.push_back(g.tensor(p + "bias", t.bias));
      }
      conv(g, inputs, y, l.kernel, l.stride, l.padding, l.groups);
      if (y != output) activation(g, l.activation, y, output);
      return;
    }
    case OpKind::Linear: {
      // As the eager module: flatten(1), then x W^T + b.
      const std::string flat = p + "flat";
      set_attribute(g.node("Flatten", {in[0]}, flat), "axis", int64_t{1});
      const std::string y = before_activation(l.activation, p, "gemm", output);
      std::vector<std::string> inputs{flat, g.tensor(p + "weight", t.weight)};
      if (t.bias.defined()) inputs.push_back(g.tensor(p + "bias", t.bias));
      set_attribute(g.node("Gemm", inputs, y), "transB", int64_t{1});
      if (y != output) activation(g, l.activation, y, output);
      return;
    }
    case OpKind::SqueezeExcite: {
      g.node("GlobalAveragePool", {in[0]}, p + "pool");
      conv(g, {p + "pool", g.tensor(p + "se_w1", t.se_w1), g.tensor(p + "se_b1", t.se_b1)}, p + "reduce", 1, 1, 0, 1);
      g.node("Relu", {p + "reduce"}, p + "reduce_relu");
      conv(g, {p + "reduce_relu", g.tensor(p + "se_w2", t.se_w2), g.tensor(p + "se_b2", t.se_b2)}, p + "expand", 1, 1,
           0, 1);
      hard_sigmoid(g, p + "expand", p + "gate");
      g.node("Mul", {in[0], p + "gate"}, output);
      return;
    }
    case OpKind::GlobalAvgPool:
      g.node("GlobalAveragePool", {in[0]}, output);
      return;
    case OpKind::AvgPool2d:
      // Padding is not counted in the average (PyTorch: count_include_pad=false).
      set_attribute(pool(g, "AveragePool", l, in[0], output), "count_include_pad", int64_t{0});
      return;
    case OpKind::MaxPool2d:
      pool(g, "MaxPool", l, in[0], output);
      return;
    case OpKind::Add:
      g.node(in.size() == 2 ? "Add" : "Sum", in, output);
      return;
    case OpKind::Concat:
      set_attribute(g.node("Concat", in, output), "axis", int64_t{1});
      return;
    case OpKind::ChannelSlice:
      g.node("Slice",
             {in[0], g.int64s(p + "starts", {l.hidden}), g.int64s(p + "ends", {l.hidden + l.out.channels}),
              g.int64s(p + "axes", {1})},
             output);
      return;
    case OpKind::ChannelShuffle: {
      // [N, C, H, W] -> [N, g, C/g, H, W] -> swap axes 1 and 2 -> [N, C, H, W].
      // Reshape's 0 keeps the batch dimension of its input.
      const int64_t c = l.in.channels, groups = l.groups, h = l.in.height, w = l.in.width;
      g.node("Reshape", {in[0], g.int64s(p + "grouped_shape", {0, groups, c / groups, h, w})}, p + "grouped");
      set_attribute(g.node("Transpose", {p + "grouped"}, p + "transposed"), "perm", std::vector<int64_t>{0, 2, 1, 3, 4});
      g.node("Reshape", {p + "transposed", g.int64s(p + "shape", {0, c, h, w})}, output);
      return;
    }
    case OpKind::BatchNorm2d: {
      // A batch norm with no convolution before it stays a node; runtimes
      // fold it into a neighbour where they can.
      ::onnx::NodeProto& n = g.node("BatchNormalization",
                                    {in[0], g.tensor(p + "bn_weight", t.bn_weight), g.tensor(p + "bn_bias", t.bn_bias),
                                     g.tensor(p + "bn_mean", t.bn_mean), g.tensor(p + "bn_var", t.bn_var)},
                                    output);
      set_attribute(n, "epsilon", static_cast<float>(libtorch::EagerNetwork::kBatchNormEps));
      return;
    }
    case OpKind::Activation:
      activation(g, l.activation, in[0], output);
      return;
    case OpKind::Embedding:
    case OpKind::LayerNorm:
    case OpKind::Attention:
    case OpKind::TokenConcat:
    case OpKind::ToSequence:
    case OpKind::ClassToken:
    case OpKind::PositionEmbedding:
    case OpKind::TokenSlice:
      break;  // lowered by lower_sequence_layer above
  }
  throw Error("ONNX export: layer " + std::to_string(index) + ": op kind " + to_string(l.op) +
              " has no ONNX lowering; fix: update sdk/toolkits/onnx");
}

}  // namespace nasctl::model_export
