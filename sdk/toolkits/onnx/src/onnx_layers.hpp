// One NetworkSpec layer as ONNX nodes (the mapping is listed in
// nasctl/onnx/onnx_model.hpp).
#pragma once

#include <string>
#include <vector>

#include "nasctl/torch/eager_network.hpp"
#include "onnx_graph.hpp"

namespace nasctl::model_export {

// Appends the nodes of layer `index`, reading the values `inputs` (one per
// layer.inputs) and writing the value `output`; `tensors` are the layer's
// tensors in the eager network.
void lower_layer(GraphWriter& graph, const Layer& layer, int index, const libtorch::LayerTensors& tensors,
                 const std::vector<std::string>& inputs, const std::string& output);

}  // namespace nasctl::model_export
