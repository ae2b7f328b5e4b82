// Model assembly: graph input/output, the layers in topological order,
// opset and metadata.
#include "nasctl/onnx/onnx_model.hpp"

#include <memory>

#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "onnx_graph.hpp"
#include "onnx_layers.hpp"
#include "serializers.hpp"

#ifndef NASCTL_VERSION
#error "NASCTL_VERSION must be defined by the build (sdk/toolkits/onnx/CMakeLists.txt)"
#endif

namespace nasctl::model_export {

namespace {

constexpr const char* kInputName = "input";

// Whether each layer's value is [N, features] (a Linear's output, and what
// element-wise layers make of one) rather than [N, C, H, W]: the eager
// module flattens in Linear, and the declared graph output must agree.
std::vector<bool> flat_values(const NetworkSpec& spec) {
  std::vector<bool> flat(spec.layers.size(), false);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const Layer& l = spec.layers[i];
    const int src = l.inputs.empty() ? kNetworkInput : l.inputs.front();
    const bool input_flat = src != kNetworkInput && flat[src];
    flat[i] = l.op == OpKind::Linear ||
              (input_flat && (l.op == OpKind::Activation || l.op == OpKind::Add || l.op == OpKind::BatchNorm2d));
  }
  return flat;
}

void add_metadata(::onnx::ModelProto& model, const std::string& key, const std::string& value) {
  ::onnx::StringStringEntryProto& entry = *model.add_metadata_props();
  entry.set_key(key);
  entry.set_value(value);
}

}  // namespace

std::string onnx_value_name(const NetworkSpec& spec, int layer) {
  if (layer == kNetworkInput) return kInputName;
  return layer + 1 == static_cast<int>(spec.layers.size()) ? "output" : "l" + std::to_string(layer);
}

::onnx::ModelProto to_onnx_model(const NetworkSpec& spec, const ExportOptions& options) {
  // The very tensors `measure` builds for this seed (EagerNetwork checks the
  // spec), or the given ones.
  const std::shared_ptr<const libtorch::EagerNetwork> network = weights_of(spec, options);

  ::onnx::ModelProto model;
  model.set_ir_version(kOnnxIrVersion);
  model.set_producer_name("nasctl");
  model.set_producer_version(NASCTL_VERSION);
  model.set_doc_string("nasctl sub-network '" + spec.name + "': " + describe(options));
  ::onnx::OperatorSetIdProto& opset = *model.add_opset_import();
  opset.set_domain("");
  opset.set_version(onnx_opset());
  add_metadata(model, "nasctl.network", spec.name);
  if (options.network)
    add_metadata(model, "nasctl.weights", options.weights);
  else
    add_metadata(model, "nasctl.seed", std::to_string(options.seed));
  add_metadata(model, "nasctl.batch_norm", "folded into Conv weight and bias");
  for (const auto& [key, value] : options.metadata) add_metadata(model, key, value);

  ::onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name(spec.name.empty() ? "network" : spec.name);
  const TensorShape& in = spec.input;
  set_float_tensor_type(*graph.add_input(), kInputName, {options.batch, in.channels, in.height, in.width});

  GraphWriter writer(graph);
  const int n = static_cast<int>(spec.layers.size());
  for (int i = 0; i < n; ++i) {
    const Layer& layer = spec.layers[i];
    std::vector<std::string> inputs;
    for (int src : layer.inputs) inputs.push_back(onnx_value_name(spec, src));
    lower_layer(writer, layer, i, network->layer_tensors(i), inputs, onnx_value_name(spec, i));
  }

  const TensorShape& out = spec.output();
  const std::vector<int64_t> out_dims = flat_values(spec).back()
                                            ? std::vector<int64_t>{options.batch, out.channels}
                                            : std::vector<int64_t>{options.batch, out.channels, out.height, out.width};
  set_float_tensor_type(*graph.add_output(), onnx_value_name(spec, n - 1), out_dims);
  return model;
}

std::string onnx_bytes(const NetworkSpec& spec, const ExportOptions& options) {
  std::string bytes;
  if (!to_onnx_model(spec, options).SerializeToString(&bytes))
    throw Error("ONNX export: network '" + spec.name + "': protobuf serialisation failed (over 2 GiB?); fix: export "
                "a smaller network or TorchScript");
  return bytes;
}

}  // namespace nasctl::model_export
