// One NetworkSpec layer as ONNX nodes (the mapping is listed in
// nasctl/onnx/onnx_model.hpp).
#pragma once

#include <string>
#include <vector>

#include "nasctl/torch/eager_network.hpp"
#include "onnx_graph.hpp"

namespace nasctl::model_export {

// Appends the nodes of layer `index`, reading the values `inputs` (one per
// layer.inputs, already in the layer's layout) and writing the value
// `output`; `tensors` are the layer's tensors in the eager network,
// `token_major` whether the layer works on [batch, tokens, features]
// (libtorch::token_major_layers), `batch` the model's batch.
void lower_layer(GraphWriter& graph, const Layer& layer, int index, const libtorch::LayerTensors& tensors,
                 const std::vector<std::string>& inputs, const std::string& output, bool token_major, int64_t batch);

// Writes `out` = act(in). ActivationKind::None copies (Identity), for a
// stand-alone activation layer without one.
void activation(GraphWriter& graph, ActivationKind act, const std::string& in, const std::string& out);

}  // namespace nasctl::model_export
