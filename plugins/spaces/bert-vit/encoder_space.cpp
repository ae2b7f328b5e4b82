// The shared half of bert-base and vit-base: variables, canonicalisation,
// encoding, layer enumeration and extremes.
#include "encoder_space.hpp"

#include <set>
#include <string>
#include <utility>

namespace nasctl::spaces::bert_vit {

namespace {

template <typename Values>
std::vector<double> as_values(const Values& values) {
  return std::vector<double>(values.begin(), values.end());
}

}  // namespace

EncoderSpace::EncoderSpace(EncoderFamily family) : family_(std::move(family)) {
  variables_.reserve(kVariables);
  variables_.push_back(numeric_variable("num_layers", as_values(family_.depths)));
  for (int i = 0; i < kSlots; ++i)
    variables_.push_back(numeric_variable("num_attention_heads" + std::to_string(i), as_values(kHeadChoices)));
  for (int i = 0; i < kSlots; ++i)
    variables_.push_back(
        numeric_variable(std::string(family_.intermediate_key) + std::to_string(i), as_values(kIntermediateChoices)));
}

Architecture EncoderSpace::canonicalize(const Architecture& arch) const {
  check(arch);
  Architecture out = arch;
  for (int l = depth(arch); l < kSlots; ++l) {
    out[kHeads + l] = 0;
    out[kIntermediate + l] = 0;
  }
  return out;
}

std::vector<double> EncoderSpace::encode(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  const int used = depth(c);
  std::vector<double> x(encoding_size(), 0.0);
  std::size_t offset = 0;
  for (int i = 0; i < kVariables; ++i) {
    const int slot = i == kDepth ? -1 : (i - kHeads) % kSlots;
    if (slot < used) x[offset + c[i]] = 1.0;
    offset += variables_[i].labels.size();
  }
  return x;
}

int EncoderSpace::attention(NetworkBuilder& b, int x, int64_t heads) {
  const int64_t width = heads * kHeadDim;
  b.set_current(x);
  const int q = b.token_linear(width, true);
  b.set_current(x);
  const int k = b.token_linear(width, true);
  b.set_current(x);
  const int v = b.token_linear(width, true);
  b.attention(q, k, v, static_cast<int>(heads), false);
  return b.token_linear(kWidth, true);
}

int EncoderSpace::feed_forward(NetworkBuilder& b, int x, int64_t width) {
  b.set_current(x);
  b.token_linear(width, true, ActivationKind::GELU);
  return b.token_linear(kWidth, true);
}

std::vector<Layer> EncoderSpace::distinct_layers() const {
  std::vector<Layer> layers;
  std::set<std::string> seen;
  const int deepest = static_cast<int>(family_.depths.size()) - 1;
  int full = 0;
  for (int d = 0; d <= deepest; ++d) {
    if (family_.depths[d] > family_.depths[full]) full = d;
  }
  for (int j = 0; j < static_cast<int>(kHeadChoices.size()); ++j) {
    Architecture arch(kVariables, 0);
    arch[kDepth] = full;
    for (int l = 0; l < kSlots; ++l) {
      arch[kHeads + l] = j;
      arch[kIntermediate + l] = j % static_cast<int>(kIntermediateChoices.size());
    }
    for (Layer& layer : lower(arch).layers) {
      if (seen.insert(layer.key()).second) layers.push_back(std::move(layer));
    }
  }
  return layers;
}

namespace {

int depth_choice(const std::vector<int64_t>& depths, bool deepest) {
  int best = 0;
  for (int d = 1; d < static_cast<int>(depths.size()); ++d) {
    if (deepest ? depths[d] > depths[best] : depths[d] < depths[best]) best = d;
  }
  return best;
}

}  // namespace

Architecture EncoderSpace::smallest() const {
  Architecture arch(kVariables, 0);  // 6 heads, 1024 wide
  arch[kDepth] = depth_choice(family_.depths, false);
  return canonicalize(arch);
}

Architecture EncoderSpace::largest() const {
  Architecture arch(kVariables, 0);
  arch[kDepth] = depth_choice(family_.depths, true);
  for (int l = 0; l < kSlots; ++l) {
    arch[kHeads + l] = static_cast<int>(kHeadChoices.size()) - 1;
    arch[kIntermediate + l] = static_cast<int>(kIntermediateChoices.size()) - 1;
  }
  return arch;
}

std::string EncoderSpace::distinct_networks() const {
  // Per depth L: 4 head counts x 3 widths per used layer; every class is a
  // different NetworkSpec. At most 12^12 per depth: int64 holds the sum.
  const int64_t per_layer = static_cast<int64_t>(kHeadChoices.size() * kIntermediateChoices.size());
  int64_t total = 0;
  for (int64_t d : family_.depths) {
    int64_t n = 1;
    for (int64_t l = 0; l < d; ++l) n *= per_layer;
    total += n;
  }
  return std::to_string(total);
}

}  // namespace nasctl::spaces::bert_vit
