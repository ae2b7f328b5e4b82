#include "onnx_sequence_layers.hpp"

#include <ATen/ATen.h>

#include <cmath>

#include "onnx_layers.hpp"

namespace nasctl::model_export {

namespace {

// ONNX TensorProto.DataType of int64 (Cast's `to`).
constexpr int64_t kInt64 = 7;

// LayerNormalization is an operator from opset 17 on; at opset 14 it is its
// formula: (x - mean) / sqrt(var + eps) * gain + bias over the last axis,
// with the biased variance, as at::layer_norm computes it.
void layer_norm(GraphWriter& g, const std::string& p, const libtorch::LayerTensors& t, const std::string& x,
                const std::string& output) {
  auto mean_of_last = [&](const std::string& in, const std::string& out) {
    ::onnx::NodeProto& n = g.node("ReduceMean", {in}, out);
    set_attribute(n, "axes", std::vector<int64_t>{-1});
    set_attribute(n, "keepdims", int64_t{1});
  };
  mean_of_last(x, p + "mean");
  g.node("Sub", {x, p + "mean"}, p + "centred");
  g.node("Mul", {p + "centred", p + "centred"}, p + "squared");
  mean_of_last(p + "squared", p + "variance");
  g.node("Add", {p + "variance", g.scalar(p + "eps", static_cast<float>(libtorch::EagerNetwork::kLayerNormEps))},
         p + "variance_eps");
  g.node("Sqrt", {p + "variance_eps"}, p + "std");
  g.node("Div", {p + "centred", p + "std"}, p + "normalised");
  g.node("Mul", {p + "normalised", g.tensor(p + "weight", t.weight)}, p + "scaled");
  g.node("Add", {p + "scaled", g.tensor(p + "bias", t.bias)}, output);
}

// Scaled dot-product attention over `heads` heads, as the eager module:
// softmax(q k^T / sqrt(d) [+ causal mask]) v, heads split from and joined
// back into the feature axis.
void attention(GraphWriter& g, const std::string& p, const Layer& l, const libtorch::LayerTensors& t,
               const std::vector<std::string>& in, const std::string& output) {
  const int64_t heads = l.groups, width = l.in.channels, d = width / heads, tq = l.out.height, tk = l.hidden;
  g.node("Mul", {in[0], g.scalar(p + "scale", static_cast<float>(1.0 / std::sqrt(static_cast<double>(d))))},
         p + "q_scaled");
  // Reshape's 0 keeps the batch dimension of its input.
  g.node("Reshape", {p + "q_scaled", g.int64s(p + "q_shape", {0, tq, heads, d})}, p + "q_split");
  set_attribute(g.node("Transpose", {p + "q_split"}, p + "q"), "perm", std::vector<int64_t>{0, 2, 1, 3});
  g.node("Reshape", {in[1], g.int64s(p + "k_shape", {0, tk, heads, d})}, p + "k_split");
  // Straight to k^T: [batch, heads, d, tk].
  set_attribute(g.node("Transpose", {p + "k_split"}, p + "k_t"), "perm", std::vector<int64_t>{0, 2, 3, 1});
  g.node("Reshape", {in[2], g.int64s(p + "v_shape", {0, tk, heads, d})}, p + "v_split");
  set_attribute(g.node("Transpose", {p + "v_split"}, p + "v"), "perm", std::vector<int64_t>{0, 2, 1, 3});
  g.node("MatMul", {p + "q", p + "k_t"}, p + "scores");
  std::string scores = p + "scores";
  if (l.causal) {
    g.node("Add", {scores, g.tensor(p + "mask", t.extra)}, p + "masked");
    scores = p + "masked";
  }
  set_attribute(g.node("Softmax", {scores}, p + "weights"), "axis", int64_t{-1});
  g.node("MatMul", {p + "weights", p + "v"}, p + "heads");
  set_attribute(g.node("Transpose", {p + "heads"}, p + "joined"), "perm", std::vector<int64_t>{0, 2, 1, 3});
  g.node("Reshape", {p + "joined", g.int64s(p + "shape", {0, tq, width})}, output);
}

}  // namespace

void to_tokens(GraphWriter& g, const std::string& input, const TensorShape& s, const std::string& output) {
  g.node("Reshape", {input, g.int64s(output + "_shape", {0, s.channels, s.height * s.width})}, output + "_flat");
  set_attribute(g.node("Transpose", {output + "_flat"}, output), "perm", std::vector<int64_t>{0, 2, 1});
}

void to_channels(GraphWriter& g, const std::string& input, const TensorShape& s, const std::string& output) {
  set_attribute(g.node("Transpose", {input}, output + "_t"), "perm", std::vector<int64_t>{0, 2, 1});
  g.node("Reshape", {output + "_t", g.int64s(output + "_shape", {0, s.channels, s.height, s.width})}, output);
}

bool lower_sequence_layer(GraphWriter& g, const Layer& l, int index, const libtorch::LayerTensors& t,
                          const std::vector<std::string>& in, const std::string& output, int64_t batch) {
  const std::string p = "l" + std::to_string(index) + "_";
  const int64_t tokens = l.out.height, features = l.out.channels;
  switch (l.op) {
    case OpKind::Embedding: {
      // Token ids arrive as floats in [batch, 1, N, 1]; the layer reads
      // positions [padding, padding + tokens).
      g.node("Slice",
             {in[0], g.int64s(p + "starts", {l.padding}), g.int64s(p + "ends", {l.padding + tokens}),
              g.int64s(p + "axes", {2})},
             p + "window");
      g.node("Reshape", {p + "window", g.int64s(p + "ids_shape", {-1, tokens})}, p + "ids_float");
      set_attribute(g.node("Cast", {p + "ids_float"}, p + "ids"), "to", kInt64);
      if (l.kernel == 0) {  // the plain lookup (BERT)
        g.node("Gather", {g.tensor(p + "weight", t.weight), p + "ids"}, output);
        return true;
      }
      // fairseq: scaled by sqrt(features), plus the fixed sinusoidal positions.
      g.node("Gather", {g.tensor(p + "weight", t.weight), p + "ids"}, p + "vectors");
      g.node("Mul", {p + "vectors", g.scalar(p + "scale", static_cast<float>(std::sqrt(static_cast<double>(features))))},
             p + "scaled");
      g.node("Add", {p + "scaled", g.tensor(p + "positions", t.extra)}, output);
      return true;
    }
    case OpKind::ToSequence:
      g.node("Identity", {in[0]}, output);  // the layout change is the input's to_tokens
      return true;
    case OpKind::ClassToken:
      // The batch is fixed in the model's input, so the learned vector is
      // expanded to a constant shape that shape inference can see.
      g.node("Expand", {g.tensor(p + "weight", t.weight.reshape({1, 1, features})), g.int64s(p + "shape", {batch, 1, features})},
             p + "token");
      set_attribute(g.node("Concat", {p + "token", in[0]}, output), "axis", int64_t{1});
      return true;
    case OpKind::PositionEmbedding: {
      // The rows the eager module adds: row 0 only (stride 0), else every
      // stride-th row; taken here once, as a constant.
      const at::Tensor rows =
          l.stride == 0 ? t.weight.narrow(0, 0, 1) : t.weight.slice(0, 0, (l.in.height - 1) * l.stride + 1, l.stride);
      g.node("Add", {in[0], g.tensor(p + "positions", rows)}, output);
      return true;
    }
    case OpKind::TokenSlice:
      g.node("Slice",
             {in[0], g.int64s(p + "starts", {l.hidden}), g.int64s(p + "ends", {l.hidden + tokens}),
              g.int64s(p + "axes", {1})},
             output);
      return true;
    case OpKind::LayerNorm:
      layer_norm(g, p, t, in[0], output);
      return true;
    case OpKind::Attention:
      attention(g, p, l, t, in, output);
      return true;
    case OpKind::TokenConcat:
      set_attribute(g.node("Concat", in, output), "axis", int64_t{1});
      return true;
    case OpKind::Linear: {
      // Per position: x W^T + b on the last axis (MatMul broadcasts; Gemm is 2-D only).
      const std::string y = l.activation == ActivationKind::None ? output : p + "linear";
      const std::string product = t.bias.defined() ? p + "matmul" : y;
      g.node("MatMul", {in[0], g.tensor(p + "weight_t", t.weight.t())}, product);
      if (t.bias.defined()) g.node("Add", {product, g.tensor(p + "bias", t.bias)}, y);
      if (y != output) activation(g, l.activation, y, output);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace nasctl::model_export
