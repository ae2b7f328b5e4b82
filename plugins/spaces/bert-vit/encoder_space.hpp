// DyNAS-T's elastic Transformer encoders, bert_base_sst2 and
// vit_base_imagenet (DESIGN.md section 3): a stack of up to 12 encoder layers
// of model width 768 whose depth is a variable (`num_layers`) and whose
// layers each choose their head count {6, 8, 10, 12} and intermediate (FFN)
// width {1024, 2048, 3072}.
//
// Head convention, as DyNAS-T's super-networks compute it
// (dynast/supernetwork/text_classification/bert_supernetwork.py:
// all_head_size = attention_head_size * num_attention_heads, with
// attention_head_size = 768 / 12 = 64; the ViT super-network's attention
// likewise): a head is 64 wide whatever the count, so h heads make the q, k
// and v projections 768 -> 64h and the output projection 64h -> 768.
//
// EncoderSpace holds what the two spaces share (variables, canonical and
// DyNAS-T text forms, canonicalisation, encoding, layer enumeration,
// extremes); BertBase and VitBase lower their own networks.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/keyed_lists.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/size_extremes.hpp"

namespace nasctl::spaces::bert_vit {

// What differs between the two spaces' variables and text forms.
struct EncoderFamily {
  const char* space;            // "bert-base"
  const char* intermediate_key; // DyNAS-T's key of the per-layer FFN widths
  std::vector<int64_t> depths;  // num_layers' choices, DyNAS-T order
};

class EncoderSpace : public SearchSpace, public LayerEnumerable, public SizeExtremes {
 public:
  static constexpr int kSlots = 12;
  static constexpr int64_t kWidth = 768;
  static constexpr int64_t kHeadDim = 64;
  // Layout of the choice vector, DyNAS-T's key order.
  static constexpr int kDepth = 0;
  static constexpr int kHeads = 1;                     // 12
  static constexpr int kIntermediate = kHeads + kSlots; // 12
  static constexpr int kVariables = kIntermediate + kSlots;  // 25
  static constexpr std::array<int64_t, 4> kHeadChoices{6, 8, 10, 12};
  static constexpr std::array<int64_t, 3> kIntermediateChoices{1024, 2048, 3072};

  explicit EncoderSpace(EncoderFamily family);

  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  // Layer slots past the depth take choice 0 (they build nothing).
  Architecture canonicalize(const Architecture& arch) const override;
  // One-hot of the canonical architecture, unused slots all zeros.
  std::vector<double> encode(const Architecture& arch) const override;

  // LayerEnumerable: a layer's key depends on its own head count or FFN
  // width and the fixed sequence length, never on its index or the depth:
  // four networks of full depth, slot choices (j, j mod 3), hold them all.
  std::vector<Layer> distinct_layers() const override;

  // SizeExtremes: MACs and parameters grow with depth, heads and width.
  Architecture smallest() const override;
  Architecture largest() const override;
  std::string distinct_networks() const override;

  // Canonical form "l=12;h=12,8,...;i=3072,1024,..." ('-' for slots past l);
  // parse() also takes DyNAS-T's dict "{'num_layers': [12], ...}".
  std::string to_string(const Architecture& arch) const override;
  Architecture parse(std::string_view text) const override;
  std::string to_dynast(const Architecture& arch) const;

  int depth(const Architecture& arch) const { return static_cast<int>(family_.depths[arch[kDepth]]); }
  static int64_t heads(const Architecture& arch, int layer) { return kHeadChoices[arch[kHeads + layer]]; }
  static int64_t intermediate(const Architecture& arch, int layer) {
    return kIntermediateChoices[arch[kIntermediate + layer]];
  }
  const EncoderFamily& family() const { return family_; }

 protected:
  // The self-attention sub-block on `x` (already normalised for a pre-norm
  // network): q/k/v 768 -> 64h, attention, output 64h -> 768, all with bias;
  // returns the output projection.
  static int attention(NetworkBuilder& b, int x, int64_t heads);
  // The FFN: 768 -> width (GELU) -> 768, both with bias; returns the second.
  static int feed_forward(NetworkBuilder& b, int x, int64_t width);

 private:
  static constexpr int64_t kUnset = -1000;
  using Values = KeyedLists;
  std::vector<ListKey> list_keys() const;
  Values parse_canonical(std::string_view text) const;
  Values parse_dynast(std::string_view text) const;
  Architecture from_values(std::string_view text, const Values& v) const;
  [[noreturn]] void fail(std::string_view text, const std::string& what) const;

  EncoderFamily family_;
  std::vector<DecisionVariable> variables_;
};

// DyNAS-T's bert_base_sst2: BERT-base (post-norm) on SST-2. Input: one id
// tensor {1, T, 1}. Embeddings: word (vocabulary x 768, plain lookup) +
// learned positions (512 rows) + token type (2 rows; SST-2 sentences are
// one segment, type 0 everywhere), LayerNorm. Layers: x = LN(x + attn(x));
// x = LN(x + ffn(x)). Pooler: the first token through 768 -> 768 + tanh;
// classifier 768 -> classes.
class BertBase : public EncoderSpace {
 public:
  static constexpr int64_t kPositions = 512;
  static constexpr int64_t kTokenTypes = 2;
  explicit BertBase(const PluginContext& context);
  // sequence_length, vocabulary, classes.
  static std::vector<ConfigKey> config_keys();
  NetworkSpec lower(const Architecture& arch) const override;
  int64_t sequence_length() const { return sequence_length_; }
  int64_t vocabulary() const { return vocabulary_; }
  int64_t classes() const { return classes_; }

 private:
  int64_t sequence_length_ = 128;
  int64_t vocabulary_ = 30522;
  int64_t classes_ = 2;
};

// DyNAS-T's vit_base_imagenet: ViT-B/16 (pre-norm, torchvision's
// VisionTransformer). Input {3, S, S}. A 16x16 stride-16 convolution 3 -> 768
// (bias) turns the image into (S/16)^2 patch tokens; a learned class token is
// prepended and learned positions ((S/16)^2 + 1 rows) added. Layers:
// x = x + attn(LN(x)); x = x + ffn(LN(x)). Then LN, the class token, and the
// head 768 -> classes.
class VitBase : public EncoderSpace {
 public:
  static constexpr int kPatch = 16;
  explicit VitBase(const PluginContext& context);
  // image_size, classes.
  static std::vector<ConfigKey> config_keys();
  NetworkSpec lower(const Architecture& arch) const override;
  int64_t image_size() const { return image_size_; }
  int64_t classes() const { return classes_; }
  int64_t tokens() const { return (image_size_ / kPatch) * (image_size_ / kPatch) + 1; }

 private:
  int64_t image_size_ = 224;
  int64_t classes_ = 1000;
};

}  // namespace nasctl::spaces::bert_vit
