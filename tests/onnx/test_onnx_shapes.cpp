// ONNX's shape inference, run on the exported graph, gives every layer's
// value exactly the shape NetworkSpec says (with the batch in front): the
// graph computes the network the spec describes, layer for layer.
#include "onnx_test_support.hpp"

#include <onnx/shape_inference/implementation.h>

#include <map>

#include "nasctl/onnx/onnx_model.hpp"
#include "nasctl/torch/eager_network.hpp"

using namespace nasctl;
using namespace nasctl::model_export;

namespace {

using Shapes = std::map<std::string, std::vector<int64_t>>;

// Every value with a fully known shape after strict shape inference.
Shapes inferred_shapes(::onnx::ModelProto model) {
  ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(),
                                       ::onnx::ShapeInferenceOptions(/*check_type=*/true, /*error_mode=*/1));
  Shapes shapes;
  auto add = [&](const ::onnx::ValueInfoProto& v) {
    std::vector<int64_t> dims;
    for (const auto& d : v.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value()) return;  // unknown: leave it out, so the comparison fails
      dims.push_back(d.dim_value());
    }
    shapes[v.name()] = dims;
  };
  for (const auto& v : model.graph().value_info()) add(v);
  for (const auto& v : model.graph().output()) add(v);
  return shapes;
}

// What the spec says layer i's value is: [N, C, H, W]; [N, features] from
// a flattening Linear on (LibTorch flattens there, and element-wise layers
// keep it flat); [N, tokens, features] for the layers the LibTorch module
// runs on tokens. Derived here from the spec and the module, not from the
// exporter.
std::vector<std::vector<int64_t>> spec_shapes(const NetworkSpec& spec, int64_t batch) {
  const std::vector<bool> tokens = libtorch::token_major_layers(spec);
  std::vector<bool> flat(spec.layers.size());
  std::vector<std::vector<int64_t>> out;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const Layer& l = spec.layers[i];
    const bool input_flat = l.inputs[0] != kNetworkInput && flat[l.inputs[0]];
    flat[i] = (l.op == OpKind::Linear && !tokens[i]) ||
              (input_flat && (l.op == OpKind::Activation || l.op == OpKind::Add));
    if (tokens[i]) {
      out.push_back({batch, l.out.height, l.out.channels});
    } else if (flat[i]) {
      out.push_back({batch, l.out.channels});
    } else {
      out.push_back({batch, l.out.channels, l.out.height, l.out.width});
    }
  }
  return out;
}

void check_shapes(const NetworkSpec& spec, int64_t batch) {
  ExportOptions o;
  o.batch = batch;
  const Shapes shapes = inferred_shapes(to_onnx_model(spec, o));
  const auto expected = spec_shapes(spec, batch);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const std::string name = onnx_value_name(spec, static_cast<int>(i));
    INFO("layer " << i << " (" << spec.layers[i].key() << "), value " << name);
    const auto it = shapes.find(name);
    REQUIRE(it != shapes.end());
    CHECK(it->second == expected[i]);
  }
}

}  // namespace

TEST_CASE("OFA MobileNetV3 smallest and largest: every layer's inferred shape is the spec's") {
  check_shapes(test::ofa_network(false), 1);
  check_shapes(test::ofa_network(true), 1);
  check_shapes(test::ofa_network(true, 160), 4);
}

TEST_CASE("HURRICANE with ShuffleNetV2 units: slices, concats and shuffles have the spec's shapes") {
  const NetworkSpec spec = test::hurricane_shuffle_network();
  int slices = 0, concats = 0, shuffles = 0;
  for (const Layer& l : spec.layers) {
    slices += l.op == OpKind::ChannelSlice;
    concats += l.op == OpKind::Concat;
    shuffles += l.op == OpKind::ChannelShuffle;
  }
  // Stride-1 units split (two slices), strided ones do not: both kinds occur.
  CHECK(slices > 0);
  CHECK(concats > slices / 2);
  CHECK(shuffles == concats);
  check_shapes(spec, 1);
  check_shapes(test::hurricane_shuffle_network(96, 7), 2);
}

TEST_CASE("the hand-built specs covering every OpKind have the spec's shapes, at batch 3") {
  for (const NetworkSpec& spec : {test::mobilenet_like(), test::shufflenet_like(), test::grouped_net(), test::odd_channels(),
                                 test::ceil_pools()}) {
    INFO("network: " << spec.name);
    check_shapes(spec, 3);
  }
}

TEST_CASE("the miniature ViT, Transformer and BERT: every layer's inferred shape is the spec's, at batch 2") {
  for (const NetworkSpec& spec : {test::vit_like(), test::translator_like(), test::bert_like()}) {
    INFO("network: " << spec.name);
    check_shapes(spec, 2);
  }
}

TEST_CASE("strict shape inference rejects a wrong channel slice, so the shape checks can fail") {
  const NetworkSpec spec = test::shufflenet_like();
  ::onnx::ModelProto model = to_onnx_model(spec, ExportOptions{});
  // Make the second slice start at channel 12 instead of 16: 20 channels,
  // not the spec's 16.
  for (auto& init : *model.mutable_graph()->mutable_initializer()) {
    if (init.name() == "l3_starts") init.set_int64_data(0, 12);
  }
  const Shapes shapes = inferred_shapes(model);
  CHECK(shapes.at(onnx_value_name(spec, 3)) != spec_shapes(spec, 1)[3]);
}
