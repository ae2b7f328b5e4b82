// The ONNX model as a file format: every exported network passes ONNX's own
// checker at opset 14 with standard operators only, batch norms are folded
// (no BatchNormalization node for a convolution's BN), the batch is the
// input's first dimension, and the metadata says what the file is.
#include "onnx_test_support.hpp"

#include <onnx/checker.h>

#include <cmath>
#include <map>

#include "nasctl/error.hpp"
#include "nasctl/onnx/onnx_model.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "onnx_interpreter.hpp"

using namespace nasctl;
using namespace nasctl::model_export;

namespace {

ExportOptions onnx_options(int64_t batch = 1, uint64_t seed = 0) {
  ExportOptions o;
  o.format = ModelFormat::Onnx;
  o.batch = batch;
  o.seed = seed;
  return o;
}

std::vector<int64_t> dims_of(const ::onnx::ValueInfoProto& value) {
  std::vector<int64_t> dims;
  for (const auto& d : value.type().tensor_type().shape().dim()) dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return dims;
}

std::string metadata(const ::onnx::ModelProto& model, const std::string& key) {
  for (const auto& entry : model.metadata_props()) {
    if (entry.key() == key) return entry.value();
  }
  return "(missing)";
}

}  // namespace

TEST_CASE("every exported network passes onnx::checker::check_model, at opset 14 and IR version 7") {
  for (const auto& [name, spec] : test::all_networks()) {
    INFO("network: " << name);
    const ::onnx::ModelProto model = to_onnx_model(spec, onnx_options());
    CHECK_NOTHROW(::onnx::checker::check_model(model));
    CHECK(model.ir_version() == 7);
    REQUIRE(model.opset_import_size() == 1);
    CHECK(model.opset_import(0).domain() == "");
    CHECK(model.opset_import(0).version() == 14);
    CHECK(onnx_opset() == 14);
    for (const auto& node : model.graph().node()) CHECK(node.domain() == "");  // standard operators only
  }
}

TEST_CASE("the checker refuses a model this exporter did not write correctly, so the check above can fail") {
  ::onnx::ModelProto model = to_onnx_model(test::mobilenet_like(), onnx_options());
  // A Conv reading a value nothing produces.
  model.mutable_graph()->mutable_node(0)->set_input(0, "nowhere");
  CHECK_THROWS(::onnx::checker::check_model(model));
}

TEST_CASE("a convolution's batch norm is folded into the Conv: no BatchNormalization node, a bias per Conv") {
  const NetworkSpec spec = test::ofa_network(false);
  const ::onnx::ModelProto model = to_onnx_model(spec, onnx_options());
  const auto& graph = model.graph();
  CHECK(test::count_ops(graph, "BatchNormalization") == 0);
  int convs = 0, squeeze_excites = 0;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const Layer& l = spec.layers[i];
    convs += l.op == OpKind::Conv2d;
    squeeze_excites += l.op == OpKind::SqueezeExcite;
    if (l.op == OpKind::Conv2d && l.batch_norm) {
      INFO("layer " << i);
      CHECK(test::find_initializer(graph, "l" + std::to_string(i) + "_bias") != nullptr);
    }
  }
  CHECK(test::count_ops(graph, "Conv") == convs + 2 * squeeze_excites);
  // A stand-alone batch norm (no convolution before it) stays a node.
  CHECK(test::count_ops(to_onnx_model(test::shufflenet_like(), onnx_options()).graph(), "BatchNormalization") == 1);
}

TEST_CASE("the batch parameter is the first dimension of the input and the output") {
  const NetworkSpec spec = test::ofa_network(false);
  for (int64_t batch : {1, 8}) {
    const ::onnx::ModelProto model = to_onnx_model(spec, onnx_options(batch));
    REQUIRE(model.graph().input_size() == 1);
    CHECK(model.graph().input(0).name() == "input");
    CHECK(dims_of(model.graph().input(0)) == std::vector<int64_t>{batch, 3, 224, 224});
    REQUIRE(model.graph().output_size() == 1);
    CHECK(dims_of(model.graph().output(0)) == std::vector<int64_t>{batch, 1000});
  }
  // A network that does not end in a Linear keeps [N, C, H, W].
  NetworkBuilder b("conv-only", {3, 8, 8});
  b.conv(4, 3, 2, 1, true, ActivationKind::ReLU);
  const ::onnx::ModelProto conv_only = to_onnx_model(std::move(b).finish(), onnx_options(2));
  CHECK(dims_of(conv_only.graph().output(0)) == std::vector<int64_t>{2, 4, 4, 4});
}

TEST_CASE("initializers are the weights of EagerNetwork(spec, seed): another seed, other values") {
  const NetworkSpec spec = test::grouped_net();
  const ::onnx::ModelProto seed0 = to_onnx_model(spec, onnx_options(1, 0));
  const ::onnx::ModelProto again = to_onnx_model(spec, onnx_options(1, 0));
  const ::onnx::ModelProto seed1 = to_onnx_model(spec, onnx_options(1, 1));
  CHECK(seed0.SerializeAsString() == again.SerializeAsString());
  const auto* w0 = test::find_initializer(seed0.graph(), "l0_weight");
  const auto* w1 = test::find_initializer(seed1.graph(), "l0_weight");
  REQUIRE(w0 != nullptr);
  REQUIRE(w1 != nullptr);
  CHECK(w0->raw_data() != w1->raw_data());
  // Layer 0 has a bias and no BN: the initializer is the eager tensor itself.
  const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, 0);
  CHECK(at::equal(test::tensor_of(*w0), eager->layer_tensors(0).weight));
  CHECK(metadata(seed1, "nasctl.seed") == "1");
}

TEST_CASE("metadata names the producer, the network, the folding and the caller's entries") {
  ExportOptions o = onnx_options();
  o.metadata = {{"nasctl.arch", "ks=3;e=4"}};
  const ::onnx::ModelProto model = to_onnx_model(test::mobilenet_like(), o);
  CHECK(model.producer_name() == "nasctl");
  CHECK_FALSE(model.producer_version().empty());
  CHECK(metadata(model, "nasctl.network") == "mobilenet-like");
  CHECK(metadata(model, "nasctl.batch_norm").find("folded") != std::string::npos);
  CHECK(metadata(model, "nasctl.arch") == "ks=3;e=4");
  CHECK(model.doc_string().find("ONNX (opset 14), batch 1") != std::string::npos);
}

TEST_CASE("h-sigmoid and ReLU6 are written with PyTorch's constants, not ONNX's defaults") {
  const ::onnx::ModelProto model = to_onnx_model(test::mobilenet_like(), onnx_options());
  int hard_sigmoids = 0;
  for (const auto& node : model.graph().node()) {
    if (node.op_type() != "HardSigmoid") continue;
    ++hard_sigmoids;
    std::map<std::string, float> attrs;
    for (const auto& a : node.attribute()) attrs[a.name()] = a.f();
    CHECK(attrs.at("alpha") == doctest::Approx(1.0 / 6.0));
    CHECK(attrs.at("beta") == doctest::Approx(0.5));
  }
  CHECK(hard_sigmoids == 1);  // the squeeze-excite gate
  CHECK(test::count_ops(model.graph(), "Clip") == 2);  // the two ReLU6 layers
  const auto* max = test::find_initializer(model.graph(), "relu6_max");
  REQUIRE(max != nullptr);
  CHECK(test::tensor_of(*max).item<float>() == 6.0f);
}

TEST_CASE("sequence layers lower to standard operators: Gather, MatMul, Softmax, the causal mask, GELU by Erf, Tanh") {
  const ::onnx::ModelProto translator = to_onnx_model(test::translator_like(), onnx_options());
  const auto& g = translator.graph();
  CHECK(test::count_ops(g, "Gather") == 2);  // source and target embeddings
  CHECK(test::count_ops(g, "Softmax") == 4);  // 2 encoder, 2 decoder attentions
  CHECK(test::count_ops(g, "MatMul") == 4 * 2 + 4 * 4 + 2 * 2 + 1);  // scores and mix, projections, FFNs, output
  CHECK(test::count_ops(g, "ReduceMean") == 2 * 2 * 2 + 2 * 2);  // two per LayerNorm
  // The decoder's self-attention alone is causal: one -inf mask above the diagonal.
  int masks = 0;
  for (const auto& init : g.initializer()) {
    if (init.name().size() < 5 || init.name().substr(init.name().size() - 5) != "_mask") continue;
    ++masks;
    const at::Tensor mask = test::tensor_of(init);
    CHECK(mask.sizes().vec() == std::vector<int64_t>{3, 3});
    CHECK(std::isinf(mask[0][1].item<float>()));
    CHECK(mask[1][0].item<float>() == 0.0f);
  }
  CHECK(masks == 1);
  const ::onnx::ModelProto vit = to_onnx_model(test::vit_like(), onnx_options());
  CHECK(test::count_ops(vit.graph(), "Erf") == 1);  // the GELU of the feed-forward
  CHECK(test::count_ops(vit.graph(), "Expand") == 1);  // the class token
  const ::onnx::ModelProto bert = to_onnx_model(test::bert_like(), onnx_options());
  CHECK(test::count_ops(bert.graph(), "Tanh") == 1);  // the pooler
  CHECK(test::count_ops(bert.graph(), "Gather") == 1);
  // Tokens -> image for the convolution, image -> tokens after the pool.
  CHECK(test::count_ops(bert.graph(), "Transpose") == 4 + 2);  // q, k^T, v, heads joined; the two layout changes
}
