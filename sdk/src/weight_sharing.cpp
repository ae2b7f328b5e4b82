#include "nasctl/weight_sharing.hpp"

namespace nasctl {

// Defined here, in the SDK library, so that every space plugin and the
// engine share one type_info: dynamic_cast across .so borders relies on it.
WeightSharing::~WeightSharing() = default;

const char* to_string(TensorRole role) {
  switch (role) {
    case TensorRole::Weight: return "weight";
    case TensorRole::Bias: return "bias";
    case TensorRole::BatchNormScale: return "bn_weight";
    case TensorRole::BatchNormShift: return "bn_bias";
    case TensorRole::BatchNormMean: return "bn_mean";
    case TensorRole::BatchNormVariance: return "bn_var";
    case TensorRole::SqueezeWeight: return "se_w1";
    case TensorRole::SqueezeBias: return "se_b1";
    case TensorRole::ExciteWeight: return "se_w2";
    case TensorRole::ExciteBias: return "se_b2";
  }
  return "unknown";
}

namespace {

void add_batch_norm(std::vector<LayerTensor>& out, int64_t channels) {
  out.push_back({TensorRole::BatchNormScale, {channels}});
  out.push_back({TensorRole::BatchNormShift, {channels}});
  out.push_back({TensorRole::BatchNormMean, {channels}});
  out.push_back({TensorRole::BatchNormVariance, {channels}});
}

}  // namespace

std::vector<LayerTensor> layer_tensors(const Layer& layer) {
  std::vector<LayerTensor> out;
  switch (layer.op) {
    case OpKind::Conv2d:
      out.push_back({TensorRole::Weight,
                     {layer.out.channels, layer.in.channels / layer.groups, layer.kernel, layer.kernel}});
      if (layer.bias) out.push_back({TensorRole::Bias, {layer.out.channels}});
      if (layer.batch_norm) add_batch_norm(out, layer.out.channels);
      break;
    case OpKind::Linear:
      // A flattening layer: a [C, H, W] input feeds C*H*W features; a
      // per-position one feeds each position's C.
      out.push_back({TensorRole::Weight, {layer.out.channels, layer.in.elements() / (layer.out.height * layer.out.width)}});
      if (layer.bias) out.push_back({TensorRole::Bias, {layer.out.channels}});
      break;
    case OpKind::SqueezeExcite:
      out.push_back({TensorRole::SqueezeWeight, {layer.hidden, layer.in.channels, 1, 1}});
      out.push_back({TensorRole::SqueezeBias, {layer.hidden}});
      out.push_back({TensorRole::ExciteWeight, {layer.in.channels, layer.hidden, 1, 1}});
      out.push_back({TensorRole::ExciteBias, {layer.in.channels}});
      break;
    case OpKind::BatchNorm2d:
      add_batch_norm(out, layer.in.channels);
      break;
    case OpKind::Embedding:
      out.push_back({TensorRole::Weight, {layer.hidden, layer.out.channels}});
      break;
    case OpKind::LayerNorm:
      out.push_back({TensorRole::Weight, {layer.in.channels}});
      out.push_back({TensorRole::Bias, {layer.in.channels}});
      break;
    case OpKind::ClassToken:
      out.push_back({TensorRole::Weight, {layer.out.channels}});
      break;
    case OpKind::PositionEmbedding:
      out.push_back({TensorRole::Weight, {layer.hidden, layer.out.channels}});
      break;
    default:
      break;  // pools, additions, concatenations, slices, shuffles, activations hold nothing
  }
  return out;
}

}  // namespace nasctl
