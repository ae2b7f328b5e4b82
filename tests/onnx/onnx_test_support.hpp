// Networks and helpers of the test_onnx suite: OFA MobileNetV3's smallest and
// largest sub-networks, a HURRICANE network built from ShuffleNetV2 units
// (channel slice, concat, shuffle), the hand-built specs of tests/torch that
// cover every image OpKind, miniature ViT, Transformer and BERT networks
// that cover every sequence OpKind, and ONNX initializers read back as ATen
// tensors.
#pragma once

#include "torch_doctest.hpp"  // first: LibTorch's CHECK must not replace doctest's

#include <onnx/onnx_pb.h>

#include <string>
#include <utility>
#include <vector>

#include "hurricane_space.hpp"
#include "nasctl/network_spec.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"
#include "specs.hpp"

namespace nasctl::test {

// Every choice the first (largest = the last) at `resolution`.
inline NetworkSpec ofa_network(bool largest, int64_t resolution = 224) {
  auto space = make_plugin<spaces::ofa_mobilenetv3::OfaMobileNetV3>({{"resolutions", std::vector<int64_t>{resolution}}});
  Architecture arch(space->variables().size(), 0);
  if (largest) {
    for (std::size_t i = 0; i < arch.size(); ++i) arch[i] = space->variables()[i].cardinality() - 1;
  }
  return space->lower(space->canonicalize(arch));
}

// Each searchable layer takes its first ShuffleNetV2 operator with kernel
// `kernel` (stride-1 units split channels in two slices; strided ones run two
// branches), or, where that layer has none, its first operator.
inline NetworkSpec hurricane_shuffle_network(int64_t resolution = 224, int kernel = 3) {
  auto space = make_plugin<spaces::hurricane::HurricaneSpace>({{"resolution", int64_t{resolution}}});
  Architecture arch(space->variables().size(), 0);
  const std::string wanted = "shuffle_k" + std::to_string(kernel) + "_";
  for (std::size_t i = 0; i < arch.size(); ++i) {
    const auto& labels = space->variables()[i].labels;
    for (std::size_t c = 0; c < labels.size(); ++c) {
      if (labels[c].rfind(wanted, 0) == 0) {
        arch[i] = static_cast<int>(c);
        break;
      }
    }
  }
  return space->lower(arch);
}

// One attention block: q projected from `query`, k and v from `memory`,
// attention, an output projection, added to `residual`. Returns the add.
inline int attention_block(NetworkBuilder& b, int residual, int query, int memory, int heads, bool causal) {
  const int64_t width = b.shape_of(query).channels;
  b.set_current(query);
  const int q = b.token_linear(width, true);
  b.set_current(memory);
  const int k = b.token_linear(width, true);
  b.set_current(memory);
  const int v = b.token_linear(width, true);
  b.attention(q, k, v, heads, causal);
  b.token_linear(width, true);
  return b.add(residual, b.current());
}

// A pre-norm ViT in miniature: 8x8 patches of a 16x16 image, class token,
// strided learned positions, one encoder block with a GELU feed-forward,
// the final norm, the class token, a head: [N, 1, 4].
inline NetworkSpec vit_like() {
  NetworkBuilder b("vit-like", TensorShape{3, 16, 16});
  b.patch_embedding(12, 8);
  b.class_token();
  const int x = b.position_embedding(10, 2);
  const int norm = b.layer_norm();
  const int attended = attention_block(b, x, norm, norm, 3, false);
  b.layer_norm();
  b.token_linear(24, true, ActivationKind::GELU);
  b.token_linear(12, true);
  b.add(attended, b.current());
  b.layer_norm();
  b.token_slice(0, 1);
  b.linear(4, true);
  return std::move(b).finish();
}

// A post-norm Transformer in miniature: 4 source and 3 target tokens of a
// vocabulary of 11 (scaled embeddings with sinusoidal positions), two
// encoder layers, a decoder layer with causal self-attention and
// attention over both encoder layers joined along the tokens, the output
// projection: [N, 3, 11].
inline NetworkSpec translator_like() {
  NetworkBuilder b("translator-like", TensorShape{1, 7, 1});
  int x = b.embedding(11, 8, 0, 4);
  std::vector<int> encoded;
  for (int layer = 0; layer < 2; ++layer) {
    attention_block(b, x, x, x, 2, false);
    x = b.layer_norm();
    b.token_linear(16, true, ActivationKind::ReLU);
    b.token_linear(8, true);
    b.add(x, b.current());
    x = b.layer_norm();
    encoded.push_back(x);
  }
  const int memory = b.token_concat(encoded);
  b.set_current(kNetworkInput);
  int y = b.embedding(11, 8, 4, 3);
  attention_block(b, y, y, y, 2, true);
  y = b.layer_norm();
  attention_block(b, y, y, memory, 4, false);
  b.layer_norm();
  b.token_linear(11, false);
  return std::move(b).finish();
}

// A post-norm BERT in miniature: plain embeddings of 6 tokens, learned
// positions and a token type (a stride-0 row), one encoder layer, then a
// tanh pooler on the first token added to a branch that reads the tokens
// as an image (a 1x1 convolution and a global pool, back to one token),
// and the classifier: [N, 1, 3].
inline NetworkSpec bert_like() {
  NetworkBuilder b("bert-like", TensorShape{1, 6, 1});
  b.plain_embedding(9, 8, 0, 6);
  b.position_embedding(16);
  b.position_embedding(2, 0);
  int x = b.layer_norm();
  attention_block(b, x, x, x, 2, false);
  x = b.layer_norm();
  b.token_slice(0, 1);
  const int pooled = b.linear(8, true, ActivationKind::Tanh);
  b.set_current(x);
  b.conv(8, 1, 1, 1, false, ActivationKind::ReLU);
  b.global_avg_pool();
  b.to_sequence();
  b.add(pooled, b.current());
  b.linear(3, true);
  return std::move(b).finish();
}

// Every network the suite checks, by name.
inline std::vector<std::pair<std::string, NetworkSpec>> all_networks() {
  return {{"ofa smallest", ofa_network(false)},
          {"ofa largest", ofa_network(true)},
          {"hurricane shuffle", hurricane_shuffle_network()},
          {"mobilenet-like", mobilenet_like()},
          {"shufflenet-like", shufflenet_like()},
          {"grouped", grouped_net()},
          {"odd-channels", odd_channels()},
          {"ceil-pools", ceil_pools()},
          {"vit-like", vit_like()},
          {"translator-like", translator_like()},
          {"bert-like", bert_like()}};
}

inline int count_ops(const ::onnx::GraphProto& graph, const std::string& op_type) {
  int n = 0;
  for (const auto& node : graph.node()) n += node.op_type() == op_type;
  return n;
}

inline const ::onnx::TensorProto* find_initializer(const ::onnx::GraphProto& graph, const std::string& name) {
  for (const auto& t : graph.initializer()) {
    if (t.name() == name) return &t;
  }
  return nullptr;
}

}  // namespace nasctl::test
