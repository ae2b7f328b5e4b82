#include "nasctl/lut/layer_class.hpp"

#include <array>

namespace nasctl::lut {

namespace {

// Classes that carry their activation: 6 activations each, ids first.
constexpr std::array<const char*, 5> kWithActivation = {"conv", "pointwise", "depthwise", "linear", "act"};
constexpr std::size_t kActivations = 6;  // ActivationKind::None .. Sigmoid
// The other ops, one class each, after those.
// Appended only, so the ids of calibrations written before stay valid.
constexpr std::array<const char*, 13> kPlain = {"se",    "gap", "avgpool", "maxpool", "add",  "concat", "slice",
                                                "shuffle", "bn", "embed",   "ln",      "attn", "tconcat"};
static_assert(kWithActivation.size() * kActivations + kPlain.size() == kLayerClasses);

constexpr std::size_t with_activation(std::size_t kind, ActivationKind act) {
  return kind * kActivations + static_cast<std::size_t>(act);
}
constexpr std::size_t plain(std::size_t index) { return kWithActivation.size() * kActivations + index; }

}  // namespace

std::size_t layer_class(const Layer& l) {
  switch (l.op) {
    case OpKind::Conv2d:
      if (l.groups > 1 && l.groups == l.in.channels) return with_activation(2, l.activation);
      return with_activation(l.kernel == 1 ? 1 : 0, l.activation);
    case OpKind::Linear: return with_activation(3, l.activation);
    case OpKind::Activation: return with_activation(4, l.activation);
    case OpKind::SqueezeExcite: return plain(0);
    case OpKind::GlobalAvgPool: return plain(1);
    case OpKind::AvgPool2d: return plain(2);
    case OpKind::MaxPool2d: return plain(3);
    case OpKind::Add: return plain(4);
    case OpKind::Concat: return plain(5);
    case OpKind::ChannelSlice: return plain(6);
    case OpKind::ChannelShuffle: return plain(7);
    case OpKind::BatchNorm2d: return plain(8);
    case OpKind::Embedding: return plain(9);
    case OpKind::LayerNorm: return plain(10);
    case OpKind::Attention: return plain(11);
    case OpKind::TokenConcat: return plain(12);
  }
  return plain(8);
}

std::string layer_class_name(std::size_t c) {
  if (c >= kLayerClasses) return "unknown";
  if (c >= plain(0)) return kPlain[c - plain(0)];
  const auto act = static_cast<ActivationKind>(c % kActivations);
  std::string name = kWithActivation[c / kActivations];
  if (act != ActivationKind::None) name += std::string("+") + to_string(act);
  return name;
}

std::optional<std::size_t> layer_class_from_name(std::string_view name) {
  for (std::size_t c = 0; c < kLayerClasses; ++c) {
    if (layer_class_name(c) == name) return c;
  }
  return std::nullopt;
}

}  // namespace nasctl::lut
