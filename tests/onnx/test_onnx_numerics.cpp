// The exported graph computes what `measure` times: folded convolutions
// reproduce convolution + batch norm, and the whole graph, evaluated by the
// reference evaluator (onnx_interpreter.hpp, ONNX's formulas), matches
// EagerNetwork(spec, seed)'s forward pass on the same input.
#include "onnx_test_support.hpp"

#include "encoder_space.hpp"
#include "nasctl/onnx/onnx_model.hpp"
#include "nasctl/torch/eager_network.hpp"
#include "onnx_interpreter.hpp"
#include "transformer_lt.hpp"

using namespace nasctl;
using namespace nasctl::model_export;

namespace {

ExportOptions options_for(int64_t batch, uint64_t seed) {
  ExportOptions o;
  o.batch = batch;
  o.seed = seed;
  return o;
}

// Largest absolute difference relative to the reference's magnitude.
double relative_error(const at::Tensor& got, const at::Tensor& want) {
  const double scale = std::max(1.0, want.abs().max().item<double>());
  return (got - want).abs().max().item<double>() / scale;
}

// The eager conv + BN of layer `index`, as EagerNetwork computes it.
at::Tensor eager_conv_bn(const libtorch::EagerNetwork& net, int index, const at::Tensor& x) {
  const Layer& l = net.spec().layers[index];
  const libtorch::LayerTensors& t = net.layer_tensors(index);
  const at::Tensor y = at::conv2d(x, t.weight, t.bias, {l.stride, l.stride}, {l.padding, l.padding}, {1, 1}, l.groups);
  return at::batch_norm(y, t.bn_weight, t.bn_bias, t.bn_mean, t.bn_var, false, 0.1,
                        libtorch::EagerNetwork::kBatchNormEps, false);
}

}  // namespace

TEST_CASE("folded Conv initializers reproduce the eager convolution followed by its batch norm") {
  const NetworkSpec spec = test::ofa_network(false, 128);
  const uint64_t seed = 5;
  const ::onnx::ModelProto model = to_onnx_model(spec, options_for(1, seed));
  const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, seed);
  // The stem (dense 3x3, stride 2) and the first depthwise convolution.
  int dense = -1, depthwise = -1;
  for (int i = 0; i < static_cast<int>(spec.layers.size()); ++i) {
    const Layer& l = spec.layers[i];
    if (l.op != OpKind::Conv2d || !l.batch_norm) continue;
    if (l.groups == 1 && dense < 0) dense = i;
    if (l.groups > 1 && l.groups == l.in.channels && depthwise < 0) depthwise = i;
  }
  REQUIRE(dense >= 0);
  REQUIRE(depthwise >= 0);
  for (int index : {dense, depthwise}) {
    const Layer& l = spec.layers[index];
    INFO("layer " << index << ": " << l.key());
    const at::Tensor x = at::randn({2, l.in.channels, l.in.height, l.in.width});
    const std::string p = "l" + std::to_string(index) + "_";
    const auto* w = test::find_initializer(model.graph(), p + "weight");
    const auto* b = test::find_initializer(model.graph(), p + "bias");
    REQUIRE(w != nullptr);
    REQUIRE(b != nullptr);
    const at::Tensor folded = at::conv2d(x, test::tensor_of(*w), test::tensor_of(*b), {l.stride, l.stride},
                                         {l.padding, l.padding}, {1, 1}, l.groups);
    const at::Tensor reference = eager_conv_bn(*eager, index, x);
    CHECK(relative_error(folded, reference) < 1e-5);
    // The unfolded weights alone are far off: the BN statistics are not a no-op.
    const libtorch::LayerTensors& t = eager->layer_tensors(index);
    const at::Tensor unfolded = at::conv2d(x, t.weight, t.bias, {l.stride, l.stride}, {l.padding, l.padding}, {1, 1}, l.groups);
    CHECK(relative_error(unfolded, reference) > 1e-2);
  }
}

TEST_CASE("the whole graph computes the eager network's output, for every OpKind and at batch 2") {
  std::vector<std::pair<std::string, NetworkSpec>> networks{
      {"mobilenet-like", test::mobilenet_like()},
      {"shufflenet-like", test::shufflenet_like()},
      {"grouped", test::grouped_net()},
      {"odd-channels", test::odd_channels()},
      {"ceil-pools", test::ceil_pools()},
      {"ofa smallest at 128", test::ofa_network(false, 128)},
      {"ofa largest at 128", test::ofa_network(true, 128)},
      {"hurricane shuffle at 96", test::hurricane_shuffle_network(96)},
      {"vit-like", test::vit_like()},
      {"translator-like", test::translator_like()},
      {"bert-like", test::bert_like()}};
  for (const auto& [name, spec] : networks) {
    INFO("network: " << name);
    const uint64_t seed = 11;
    const ::onnx::ModelProto model = to_onnx_model(spec, options_for(2, seed));
    const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, seed);
    const at::Tensor x = libtorch::random_input(spec, 2, 99);
    const at::Tensor want = eager->forward(x);
    const at::Tensor got = test::run_onnx_graph(model.graph(), x);
    REQUIRE(got.sizes() == want.sizes());
    CHECK(relative_error(got, want) < 1e-4);
    // Batch entries stay apart (the shuffle's Reshape keeps dimension 0).
    CHECK(relative_error(got[0], got[1]) > 1e-3);
  }
}

TEST_CASE("the reference evaluator notices a wrong constant, so the comparison above can fail") {
  const NetworkSpec spec = test::mobilenet_like();
  ::onnx::ModelProto model = to_onnx_model(spec, options_for(1, 0));
  // ONNX's default HardSigmoid (alpha 0.2) instead of PyTorch's 1/6.
  for (auto& node : *model.mutable_graph()->mutable_node()) {
    if (node.op_type() != "HardSigmoid") continue;
    for (auto& a : *node.mutable_attribute()) {
      if (a.name() == "alpha") a.set_f(0.2f);
    }
  }
  const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, 0);
  const at::Tensor x = libtorch::random_input(spec, 1, 3);
  CHECK(relative_error(test::run_onnx_graph(model.graph(), x), eager->forward(x)) > 1e-4);
}

TEST_CASE("the causal mask is what keeps the decoder causal in the graph: without it the output changes") {
  const NetworkSpec spec = test::translator_like();
  ::onnx::ModelProto model = to_onnx_model(spec, options_for(1, 4));
  const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, 4);
  const at::Tensor x = libtorch::random_input(spec, 1, 8);
  const at::Tensor want = eager->forward(x);
  CHECK(relative_error(test::run_onnx_graph(model.graph(), x), want) < 1e-4);
  for (auto& init : *model.mutable_graph()->mutable_initializer()) {
    if (init.name().size() > 5 && init.name().substr(init.name().size() - 5) == "_mask") {
      const std::vector<float> zeros(9, 0.0f);
      init.set_raw_data(zeros.data(), zeros.size() * sizeof(float));
    }
  }
  CHECK(relative_error(test::run_onnx_graph(model.graph(), x), want) > 1e-3);
}

TEST_CASE("the sequence spaces' own networks: transformer-lt, bert-base and vit-base through ONNX equal LibTorch") {
  // The smallest and largest of each at test sizes (short sequences, small
  // vocabularies and images keep the tensors small; the layers are the
  // full-width ones).
  const auto transformer = test::make_plugin<spaces::transformer_lt::TransformerLT>(
      {{"source_length", int64_t{6}}, {"target_length", int64_t{5}}, {"vocabulary", int64_t{64}}});
  const auto bert = test::make_plugin<spaces::bert_vit::BertBase>(
      {{"sequence_length", int64_t{8}}, {"vocabulary", int64_t{100}}, {"classes", int64_t{3}}});
  const auto vit = test::make_plugin<spaces::bert_vit::VitBase>({{"image_size", int64_t{32}}, {"classes", int64_t{10}}});
  std::vector<std::pair<std::string, NetworkSpec>> networks;
  auto add = [&](const auto& space) {
    for (const Architecture& arch : {space->smallest(), space->largest()})
      networks.emplace_back(space->to_string(arch), space->lower(arch));
  };
  add(transformer);
  add(bert);
  add(vit);
  for (const auto& [arch, spec] : networks) {
    INFO("network: " << spec.name << " " << arch);
    const ::onnx::ModelProto model = to_onnx_model(spec, options_for(1, 2));
    const auto eager = std::make_shared<libtorch::EagerNetwork>(spec, 2);
    const at::Tensor x = libtorch::random_input(spec, 1, 5);
    const at::Tensor want = eager->forward(x);
    const at::Tensor got = test::run_onnx_graph(model.graph(), x);
    REQUIRE(got.sizes() == want.sizes());
    CHECK(relative_error(got, want) < 1e-4);
  }
}
