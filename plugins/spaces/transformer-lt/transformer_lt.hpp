// The HAT Transformer search space for WMT'14 En-De (Wang et al., ACL 2020;
// DyNAS-T's transformer_lt_wmt_en_de): 6 encoder layers and 1..6 decoder
// layers of a post-norm fairseq Transformer, with per-layer FFN widths and
// head counts, encoder/decoder embedding dims and HAT's "arbitrary
// encoder-decoder attention" (a decoder layer attends to the last 1, 2 or 3
// encoder layers, their outputs joined along the token axis). Facts:
// DESIGN.md section 3 and HAT's code (fairseq/modules/multihead_attention_super.py:
// q/k/v projections are embed -> qkv_dim = 512 whatever the head count, so
// heads change the head width 512/heads, not the projections).
//
// The network is one teacher-forced forward pass: source tokens through the
// encoder, target tokens (causal self-attention) through the decoder, then
// the output projection to the vocabulary at every target position. Its
// input is one id tensor {1, S + T, 1}: source ids then target ids.
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

namespace nasctl::spaces::transformer_lt {

class TransformerLT : public SearchSpace, public LayerEnumerable, public SizeExtremes {
 public:
  static constexpr int kEncoderLayers = 6;
  static constexpr int kDecoderSlots = 6;
  static constexpr int64_t kQkvDim = 512;  // HAT's qkv_dim

  // Layout of the choice vector, DyNAS-T's key order.
  static constexpr int kEncoderEmbed = 0;
  static constexpr int kDecoderEmbed = 1;
  static constexpr int kEncoderFfn = 2;                                // 6
  static constexpr int kDecoderFfn = kEncoderFfn + kEncoderLayers;     // 6
  static constexpr int kDecoderLayers = kDecoderFfn + kDecoderSlots;   // 1
  static constexpr int kEncoderHeads = kDecoderLayers + 1;             // 6
  static constexpr int kDecoderHeads = kEncoderHeads + kEncoderLayers; // 6
  static constexpr int kCrossHeads = kDecoderHeads + kDecoderSlots;    // 6
  static constexpr int kCrossLayers = kCrossHeads + kDecoderSlots;     // 6: arbitrary enc-dec attention
  static constexpr int kVariables = kCrossLayers + kDecoderSlots;      // 39

  // Choices in DyNAS-T's order (choice 0 = its first value).
  static constexpr std::array<int64_t, 2> kEmbedDims{640, 512};
  static constexpr std::array<int64_t, 3> kFfnDims{3072, 2048, 1024};
  static constexpr std::array<int64_t, 6> kDecoderDepths{6, 5, 4, 3, 2, 1};
  static constexpr std::array<int64_t, 2> kHeads{8, 4};
  static constexpr std::array<int64_t, 3> kArbitrary{-1, 1, 2};  // attends to the last 1, 2, 3 encoder layers

  explicit TransformerLT(const PluginContext& context);

  // source_length, target_length, vocabulary.
  static std::vector<ConfigKey> config_keys();

  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override;
  // Decoder slots past the decoder depth take choice 0 (they build nothing).
  Architecture canonicalize(const Architecture& arch) const override;
  // One-hot of the canonical architecture, unused decoder slots all zeros.
  std::vector<double> encode(const Architecture& arch) const override;

  // LayerEnumerable: every distinct layer (lowering 12 covering networks).
  std::vector<Layer> distinct_layers() const override;

  // SizeExtremes: MACs and parameters grow with the embedding and FFN dims,
  // the decoder depth and the encoder layers a decoder layer attends to; heads
  // change neither (qkv_dim is fixed): the smallest network is given 4 heads
  // and the largest 8, the cheaper and dearer attention to run.
  Architecture smallest() const override;
  Architecture largest() const override;
  std::string distinct_networks() const override;

  // Canonical form, DyNAS-T's keys abbreviated, '-' for unused decoder slots:
  // "ee=640;de=512;ef=3072,...;df=2048,-,...;dl=1;eh=8,...;dh=4,-,...;ch=8,-,...;ca=-1,-,..."
  std::string to_string(const Architecture& arch) const override;
  // The canonical form or DyNAS-T's dict "{'encoder_embed_dim': [640], ...}"
  // (single values bare or in a one-element list).
  Architecture parse(std::string_view text) const override;
  std::string to_dynast(const Architecture& arch) const;

  // HAT's arbitrary_ende_attn of decoder layer l: -1 -> the last encoder
  // layer, 1 -> the last 2, 2 -> the last 3.
  static int attended_layers(const Architecture& arch, int l) {
    const int64_t v = kArbitrary[arch[kCrossLayers + l]];
    return v < 0 ? 1 : static_cast<int>(v) + 1;
  }
  static int decoder_depth(const Architecture& arch) { return static_cast<int>(kDecoderDepths[arch[kDecoderLayers]]); }
  int64_t source_length() const { return source_length_; }
  int64_t target_length() const { return target_length_; }
  int64_t vocabulary() const { return vocabulary_; }

 private:
  // Parsed values of either text form, per key (DyNAS-T order); kUnset for '-'.
  static constexpr int64_t kUnset = -1000;
  using Values = KeyedLists;
  Architecture from_values(std::string_view text, const Values& v) const;
  Values parse_canonical(std::string_view text) const;
  Values parse_dynast(std::string_view text) const;
  [[noreturn]] void fail(std::string_view text, const std::string& what) const;

  int64_t source_length_ = 30;
  int64_t target_length_ = 30;
  int64_t vocabulary_ = 32768;
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::spaces::transformer_lt
