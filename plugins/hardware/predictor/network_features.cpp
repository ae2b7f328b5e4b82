#include "network_features.hpp"

namespace nasctl::hardware::predictor {

namespace {

enum Feature {
  kMacsDense,
  kMacsDepthwise3,
  kMacsDepthwise5,
  kMacsDepthwise7,
  kMacsDepthwiseOther,
  kMacsLinear,
  kParams,
  kActivationElements,
  kPeakActivationElements,
  kElementwiseElements,
  kLayers,
  kLayersDense,
  kLayersDepthwise,
  kLayersLinear,
  kLayersSqueezeExcite,
  kLayersAdd,
  kLayersPool,
  kLayersOther,
  kFeatureCount
};

bool is_depthwise(const Layer& layer) {
  return layer.op == OpKind::Conv2d && layer.groups > 1 && layer.groups == layer.in.channels;
}

}  // namespace

const std::vector<std::string>& network_feature_names() {
  static const std::vector<std::string> names{
      "macs_dense_conv",   "macs_depthwise_k3",  "macs_depthwise_k5",  "macs_depthwise_k7",
      "macs_depthwise_other", "macs_linear",     "params",             "activation_elements",
      "peak_activation_elements", "elementwise_elements", "layers",    "layers_dense_conv",
      "layers_depthwise_conv", "layers_linear",  "layers_squeeze_excite", "layers_add",
      "layers_pool",       "layers_other"};
  return names;
}

std::vector<double> network_features(const NetworkSpec& network) {
  std::vector<double> f(kFeatureCount, 0.0);
  for (const Layer& layer : network.layers) {
    const double macs = static_cast<double>(layer_macs(layer));
    const double out = static_cast<double>(layer.out.elements());
    f[kActivationElements] += out;
    f[kLayers] += 1;
    switch (layer.op) {
      case OpKind::Conv2d:
        if (is_depthwise(layer)) {
          const int k = layer.kernel;
          f[k == 3 ? kMacsDepthwise3 : k == 5 ? kMacsDepthwise5 : k == 7 ? kMacsDepthwise7 : kMacsDepthwiseOther] += macs;
          f[kLayersDepthwise] += 1;
        } else {
          f[kMacsDense] += macs;
          f[kLayersDense] += 1;
        }
        break;
      case OpKind::Linear:
        f[kMacsLinear] += macs;
        f[kLayersLinear] += 1;
        break;
      case OpKind::SqueezeExcite:
        f[kMacsLinear] += macs;
        f[kElementwiseElements] += 2.0 * static_cast<double>(layer.in.elements());  // pool + scale
        f[kLayersSqueezeExcite] += 1;
        break;
      case OpKind::Add:
        f[kElementwiseElements] += out;
        f[kLayersAdd] += 1;
        break;
      case OpKind::GlobalAvgPool:
        f[kElementwiseElements] += static_cast<double>(layer.in.elements());
        f[kLayersPool] += 1;
        break;
      case OpKind::AvgPool2d:
      case OpKind::MaxPool2d:
        f[kElementwiseElements] += out * layer.kernel * layer.kernel;
        f[kLayersPool] += 1;
        break;
      case OpKind::BatchNorm2d:
      case OpKind::Activation:
        f[kElementwiseElements] += out;
        f[kLayersOther] += 1;
        break;
      case OpKind::Concat:
      case OpKind::ChannelSlice:
      case OpKind::ChannelShuffle:
      case OpKind::TokenConcat:
      case OpKind::ToSequence:
      case OpKind::ClassToken:
      case OpKind::TokenSlice:
        f[kLayersOther] += 1;
        break;
      case OpKind::Embedding:
      case OpKind::LayerNorm:
      case OpKind::PositionEmbedding:
        f[kElementwiseElements] += out;
        f[kLayersOther] += 1;
        break;
      case OpKind::Attention:
        // Two batched matrix products (a linear layer's work) and a softmax over the scores.
        f[kMacsLinear] += macs;
        f[kElementwiseElements] += static_cast<double>(layer.groups * layer.out.height * layer.hidden);
        f[kLayersLinear] += 1;
        break;
    }
  }
  const NetworkCost cost = count_cost(network);
  f[kParams] = static_cast<double>(cost.params);
  f[kPeakActivationElements] = static_cast<double>(cost.peak_activation_elements);
  return f;
}

}  // namespace nasctl::hardware::predictor
