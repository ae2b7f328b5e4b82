// Model assembly: graph input/output, the layers in topological order,
// opset and metadata.
#include "nasctl/onnx/onnx_model.hpp"

#include <memory>
#include <set>

#include "nasctl/error.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "onnx_graph.hpp"
#include "onnx_layers.hpp"
#include "onnx_sequence_layers.hpp"
#include "serializers.hpp"

#ifndef NASCTL_VERSION
#error "NASCTL_VERSION must be defined by the build (sdk/toolkits/onnx/CMakeLists.txt)"
#endif

namespace nasctl::model_export {

namespace {

constexpr const char* kInputName = "input";

// Whether each layer's value is [N, features] (a flattening Linear's output,
// and what element-wise layers make of one) rather than [N, C, H, W] or
// tokens: the eager module flattens in Linear, and the declared graph
// output must agree.
std::vector<bool> flat_values(const NetworkSpec& spec, const std::vector<bool>& tokens) {
  std::vector<bool> flat(spec.layers.size(), false);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const Layer& l = spec.layers[i];
    const int src = l.inputs.empty() ? kNetworkInput : l.inputs.front();
    const bool input_flat = src != kNetworkInput && flat[src];
    flat[i] = (l.op == OpKind::Linear && !tokens[i]) ||
              (input_flat && (l.op == OpKind::Activation || l.op == OpKind::Add || l.op == OpKind::BatchNorm2d));
  }
  return flat;
}

// The values layer `index` reads, in its layout: where a token-major layer
// reads an image-layout value or the reverse, the value converted (once per
// value and direction; the eager module converts in the same places).
class LayoutInputs {
 public:
  LayoutInputs(GraphWriter& graph, const NetworkSpec& spec, const std::vector<bool>& tokens)
      : graph_(graph), spec_(spec), tokens_(tokens) {}

  std::vector<std::string> of(int index) {
    const Layer& l = spec_.layers[index];
    std::vector<std::string> names;
    for (int src : l.inputs) {
      const std::string name = onnx_value_name(spec_, src);
      // An Embedding reads the token ids as they come.
      const bool produced_tokens = src != kNetworkInput && tokens_[src];
      const bool wanted_tokens = tokens_[index] && !(src == kNetworkInput && l.op == OpKind::Embedding);
      if (produced_tokens == wanted_tokens) {
        names.push_back(name);
        continue;
      }
      const TensorShape& shape = src == kNetworkInput ? spec_.input : spec_.layers[src].out;
      const std::string converted = name + (wanted_tokens ? "_tokens" : "_channels");
      if (converted_.insert(converted).second) {
        if (wanted_tokens)
          to_tokens(graph_, name, shape, converted);
        else
          to_channels(graph_, name, shape, converted);
      }
      names.push_back(converted);
    }
    return names;
  }

 private:
  GraphWriter& graph_;
  const NetworkSpec& spec_;
  const std::vector<bool>& tokens_;
  std::set<std::string> converted_;
};

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
  const std::vector<bool> tokens = libtorch::token_major_layers(spec);
  LayoutInputs inputs(writer, spec, tokens);
  const int n = static_cast<int>(spec.layers.size());
  for (int i = 0; i < n; ++i) {
    lower_layer(writer, spec.layers[i], i, network->layer_tensors(i), inputs.of(i), onnx_value_name(spec, i), tokens[i],
                options.batch);
  }

  const TensorShape& out = spec.output();
  std::vector<int64_t> out_dims{options.batch, out.channels, out.height, out.width};
  if (tokens.back())
    out_dims = {options.batch, out.height, out.channels};
  else if (flat_values(spec, tokens).back())
    out_dims = {options.batch, out.channels};
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
