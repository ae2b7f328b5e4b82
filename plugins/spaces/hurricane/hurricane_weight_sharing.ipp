// HURRICANE as a weight-sharing super-network (nasctl/weight_sharing.hpp),
// the single-path one-shot model HURRICANE trains (after SPOS): every
// candidate operator of every searchable layer owns its weights, so a
// sub-network uses, at layer i, exactly the tensors of the operator it picks
// there, whole; stem, first block and head are shared by all. Tensor names:
//   stem.<k>.<module>             the k-th layer lower() appends before layer l0
//   layers.<i>.<op>.<k>.<module>  the k-th layer operator <op> appends at layer l<i>
//   head.<k>.<module>             the k-th layer after the last searchable one
// with <module> conv.weight, conv.bias, bn.weight, bn.bias, bn.running_mean,
// bn.running_var, se.reduce.weight, se.reduce.bias, se.expand.weight,
// se.expand.bias, weight, bias (linear). An operators file restricts the
// operators, and so the tensors, to those a device keeps.
//
// Compiled as part of hurricane_space.cpp (which includes this file once):
// that translation unit holds the class's vtable, and several test targets
// compile the space's sources directly, so a separate source file would have
// to be listed in each of them.
#include <string>
#include <vector>

#include "nasctl/error.hpp"

namespace nasctl::spaces::hurricane {

// Named, so its helpers cannot clash with hurricane_space.cpp's own.
namespace weight_sharing {
namespace {

// Layers of the classifier head lower() appends: 1x1 conv, pool, linear.
constexpr std::size_t kHeadLayers = 3;

std::string key_of(const std::string& prefix, const Layer& l, TensorRole role) {
  const bool linear = l.op == OpKind::Linear;
  switch (role) {
    case TensorRole::Weight: return prefix + (linear ? "weight" : "conv.weight");
    case TensorRole::Bias: return prefix + (linear ? "bias" : "conv.bias");
    case TensorRole::BatchNormScale: return prefix + "bn.weight";
    case TensorRole::BatchNormShift: return prefix + "bn.bias";
    case TensorRole::BatchNormMean: return prefix + "bn.running_mean";
    case TensorRole::BatchNormVariance: return prefix + "bn.running_var";
    case TensorRole::SqueezeWeight: return prefix + "se.reduce.weight";
    case TensorRole::SqueezeBias: return prefix + "se.reduce.bias";
    case TensorRole::ExciteWeight: return prefix + "se.expand.weight";
    case TensorRole::ExciteBias: return prefix + "se.expand.bias";
  }
  return prefix;
}

SharedTensorKind kind_of(const Layer& l, TensorRole role) {
  switch (role) {
    case TensorRole::Weight: return l.op == OpKind::Linear ? SharedTensorKind::LinearWeight : SharedTensorKind::ConvWeight;
    case TensorRole::SqueezeWeight:
    case TensorRole::ExciteWeight: return SharedTensorKind::ConvWeight;
    case TensorRole::Bias:
    case TensorRole::SqueezeBias:
    case TensorRole::ExciteBias: return SharedTensorKind::Bias;
    case TensorRole::BatchNormScale: return SharedTensorKind::BatchNormScale;
    case TensorRole::BatchNormShift: return SharedTensorKind::BatchNormShift;
    case TensorRole::BatchNormMean: return SharedTensorKind::BatchNormMean;
    case TensorRole::BatchNormVariance: return SharedTensorKind::BatchNormVariance;
  }
  return SharedTensorKind::ConvWeight;
}

std::string operator_prefix(std::size_t layer, const std::string& op, std::size_t k) {
  return "layers." + std::to_string(layer) + "." + op + "." + std::to_string(k) + ".";
}

// Every tensor of `l`, named under `prefix`, at the layer's own shape.
void describe(std::vector<SharedTensor>& out, const std::string& prefix, const Layer& l) {
  for (const LayerTensor& t : layer_tensors(l)) out.push_back({key_of(prefix, l, t.role), t.shape, kind_of(l, t.role), {}});
}

void bind_layer(std::vector<TensorBinding>& out, int index, const std::string& prefix, const Layer& l) {
  for (const LayerTensor& t : layer_tensors(l)) out.push_back({index, t.role, key_of(prefix, l, t.role), {}});
}

}  // namespace
}  // namespace weight_sharing

std::string HurricaneSpace::supernet_name() const {
  return "hurricane super-network (" + std::to_string(positions_.size()) + " searchable layers, " +
         std::to_string(classes_) + " classes)";
}

std::vector<SharedTensor> HurricaneSpace::shared_tensors() const {
  using namespace weight_sharing;
  // Stem and head are the same in every network: take them from one.
  const NetworkSpec any = lower(Architecture(positions_.size(), 0));
  const std::size_t stem_layers = stem_width_ == first_width_ ? 4 : 3;  // conv, depthwise, pointwise[, add]
  std::vector<SharedTensor> out;
  for (std::size_t k = 0; k < stem_layers; ++k) describe(out, "stem." + std::to_string(k) + ".", any.layers[k]);
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    for (int op : choices_[i]) {
      const std::string& name = operator_pool()[op].name;
      const NetworkSpec layers = lower_operator(i, name);
      for (std::size_t k = 0; k < layers.layers.size(); ++k) describe(out, operator_prefix(i, name, k), layers.layers[k]);
    }
  }
  const std::size_t head = any.layers.size() - kHeadLayers;
  for (std::size_t k = 0; k < kHeadLayers; ++k) describe(out, "head." + std::to_string(k) + ".", any.layers[head + k]);
  return out;
}

std::vector<TensorBinding> HurricaneSpace::bind(const Architecture& arch, const NetworkSpec& spec) const {
  using namespace weight_sharing;
  check(arch);
  const std::size_t stem_layers = stem_width_ == first_width_ ? 4 : 3;
  std::vector<std::string> ops;
  std::vector<std::size_t> counts;
  std::size_t total = stem_layers + kHeadLayers;
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    ops.push_back(operator_pool()[choices_[i][arch[i]]].name);
    counts.push_back(lower_operator(i, ops.back()).layers.size());
    total += counts.back();
  }
  if (total != spec.layers.size())
    throw Error(supernet_name() + ": the network has " + std::to_string(spec.layers.size()) +
                " layers where its parts add up to " + std::to_string(total) +
                "; fix: this is a bug in the hurricane space, report it");
  std::vector<TensorBinding> out;
  std::size_t next = 0;
  for (std::size_t k = 0; k < stem_layers; ++k, ++next)
    bind_layer(out, static_cast<int>(next), "stem." + std::to_string(k) + ".", spec.layers[next]);
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    for (std::size_t k = 0; k < counts[i]; ++k, ++next)
      bind_layer(out, static_cast<int>(next), operator_prefix(i, ops[i], k), spec.layers[next]);
  }
  for (std::size_t k = 0; k < kHeadLayers; ++k, ++next)
    bind_layer(out, static_cast<int>(next), "head." + std::to_string(k) + ".", spec.layers[next]);
  return out;
}

}  // namespace nasctl::spaces::hurricane
