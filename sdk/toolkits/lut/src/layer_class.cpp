#include "nasctl/lut/layer_class.hpp"

#include <array>

namespace nasctl::lut {

namespace {

// Classes that carry their activation: 6 activations each, ids first.
constexpr std::array<const char*, 5> kWithActivation = {"conv", "pointwise", "depthwise", "linear", "act"};
constexpr std::size_t kActivations = 6;  // ActivationKind::None .. Sigmoid
// The other ops, one class each, after those.
// Appended only, so the ids of calibrations written before stay valid.
constexpr std::array<const char*, 17> kPlain = {"se",    "gap",     "avgpool", "maxpool", "add",   "concat",
                                                "slice", "shuffle", "bn",      "embed",   "ln",    "attn",
                                                "tconcat", "tokens", "cls",    "pos",     "tslice"};
// Activations added later (GELU, Tanh): their classes follow the plain ones,
// kLaterActivations per kind, so no earlier id moves.
constexpr std::size_t kLaterActivations = 2;
static_assert(kWithActivation.size() * (kActivations + kLaterActivations) + kPlain.size() == kLayerClasses);

constexpr std::size_t plain(std::size_t index) { return kWithActivation.size() * kActivations + index; }
constexpr std::size_t later(std::size_t index) { return plain(kPlain.size()) + index; }
constexpr std::size_t with_activation(std::size_t kind, ActivationKind act) {
  const auto a = static_cast<std::size_t>(act);
  if (a < kActivations) return kind * kActivations + a;
  return later(kind * kLaterActivations + (a - kActivations));
}

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
    case OpKind::ToSequence: return plain(13);
    case OpKind::ClassToken: return plain(14);
    case OpKind::PositionEmbedding: return plain(15);
    case OpKind::TokenSlice: return plain(16);
  }
  return plain(8);
}

std::string layer_class_name(std::size_t c) {
  if (c >= kLayerClasses) return "unknown";
  std::size_t kind = c / kActivations;
  auto act = static_cast<ActivationKind>(c % kActivations);
  if (c >= later(0)) {
    kind = (c - later(0)) / kLaterActivations;
    act = static_cast<ActivationKind>(kActivations + (c - later(0)) % kLaterActivations);
  } else if (c >= plain(0)) {
    return kPlain[c - plain(0)];
  }
  std::string name = kWithActivation[kind];
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
