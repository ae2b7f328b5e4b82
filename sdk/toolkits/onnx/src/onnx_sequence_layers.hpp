// The sequence layers (Transformer, BERT, ViT) as ONNX nodes, and the two
// layout changes between them and the image layers. Values of token-major
// layers (libtorch::token_major_layers) are [batch, tokens, features], as in
// the eager module; the others [batch, C, H, W] (or [batch, features]).
#pragma once

#include <string>
#include <vector>

#include "nasctl/torch/eager_network.hpp"
#include "onnx_graph.hpp"

namespace nasctl::model_export {

// [batch, C, H, W] -> [batch, H*W, C] (the eager module's to_tokens), written
// to `output`.
void to_tokens(GraphWriter& graph, const std::string& input, const TensorShape& shape, const std::string& output);
// [batch, H*W, C] -> [batch, C, H, W] (to_channels).
void to_channels(GraphWriter& graph, const std::string& input, const TensorShape& shape, const std::string& output);

// Appends the nodes of sequence layer `index` (Embedding, ToSequence,
// ClassToken, PositionEmbedding, TokenSlice, LayerNorm, Attention,
// TokenConcat, and a Linear applied per position), its inputs already in
// the token layout. `batch` is the model's batch (ClassToken repeats its
// vector once per batch entry). False for a layer of another kind.
bool lower_sequence_layer(GraphWriter& graph, const Layer& layer, int index, const libtorch::LayerTensors& tensors,
                          const std::vector<std::string>& inputs, const std::string& output, int64_t batch);

}  // namespace nasctl::model_export
