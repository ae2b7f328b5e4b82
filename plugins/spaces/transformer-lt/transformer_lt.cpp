// Transformer-LT: configuration and lowering (a post-norm fairseq
// Transformer as HAT's SubTransformer computes it), canonical forms, layer
// enumeration and extremes.
#include "transformer_lt.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "nasctl/error.hpp"

namespace nasctl::spaces::transformer_lt {

namespace {

template <std::size_t N>
std::vector<double> as_values(const std::array<int64_t, N>& values) {
  return std::vector<double>(values.begin(), values.end());
}

}  // namespace

std::vector<ConfigKey> TransformerLT::config_keys() {
  return {
      ConfigKey::integer("source_length", 30,
                         "Source sentence length in tokens the network is lowered (and measured) at")
          .at_least(1),
      ConfigKey::integer("target_length", 30,
                         "Target sentence length in tokens: the decoder runs teacher-forced over all of them "
                         "at once, each position attending only to earlier ones")
          .at_least(1),
      ConfigKey::integer("vocabulary", 32768,
                         "Vocabulary size of the token embeddings and of the output projection (HAT's WMT'14 "
                         "En-De joint BPE dictionary is about 32K)")
          .at_least(1),
  };
}

TransformerLT::TransformerLT(const PluginContext& context) {
  const PluginConfig& config = context.config;
  source_length_ = config.get_int("source_length");
  target_length_ = config.get_int("target_length");
  vocabulary_ = config.get_int("vocabulary");
  if (source_length_ < 1) config.fail("source_length", "is " + std::to_string(source_length_) + "; fix: give at least 1 token");
  if (target_length_ < 1) config.fail("target_length", "is " + std::to_string(target_length_) + "; fix: give at least 1 token");
  if (vocabulary_ < 1) config.fail("vocabulary", "is " + std::to_string(vocabulary_) + "; fix: give at least 1 token type");

  variables_.reserve(kVariables);
  variables_.push_back(numeric_variable("encoder_embed_dim", as_values(kEmbedDims)));
  variables_.push_back(numeric_variable("decoder_embed_dim", as_values(kEmbedDims)));
  for (int i = 0; i < kEncoderLayers; ++i)
    variables_.push_back(numeric_variable("encoder_ffn_embed_dim" + std::to_string(i), as_values(kFfnDims)));
  for (int i = 0; i < kDecoderSlots; ++i)
    variables_.push_back(numeric_variable("decoder_ffn_embed_dim" + std::to_string(i), as_values(kFfnDims)));
  variables_.push_back(numeric_variable("decoder_layer_num", as_values(kDecoderDepths)));
  for (int i = 0; i < kEncoderLayers; ++i)
    variables_.push_back(numeric_variable("encoder_self_attention_heads" + std::to_string(i), as_values(kHeads)));
  for (int i = 0; i < kDecoderSlots; ++i)
    variables_.push_back(numeric_variable("decoder_self_attention_heads" + std::to_string(i), as_values(kHeads)));
  for (int i = 0; i < kDecoderSlots; ++i)
    variables_.push_back(numeric_variable("decoder_ende_attention_heads" + std::to_string(i), as_values(kHeads)));
  for (int i = 0; i < kDecoderSlots; ++i)
    variables_.push_back(numeric_variable("decoder_arbitrary_ende_attn" + std::to_string(i), as_values(kArbitrary)));
}

NetworkSpec TransformerLT::lower(const Architecture& arch) const {
  check(arch);
  const int64_t src = source_length_, tgt = target_length_;
  NetworkBuilder b("transformer-lt", TensorShape{1, src + tgt, 1});

  // One attention block: q/k/v projections to qkv_dim (with bias), the
  // attention, the output projection back to the model width (with bias),
  // the residual add and the post-norm. k and v read `memory`.
  auto attention_block = [&](int x, int memory, int64_t width, int64_t heads, bool causal) {
    b.set_current(x);
    const int q = b.token_linear(kQkvDim, true);
    b.set_current(memory);
    const int k = b.token_linear(kQkvDim, true);
    b.set_current(memory);
    const int v = b.token_linear(kQkvDim, true);
    b.attention(q, k, v, static_cast<int>(heads), causal);
    const int o = b.token_linear(width, true);
    b.add(x, o);
    return b.layer_norm();
  };
  // The feed-forward block: width -> ffn (ReLU) -> width, residual, post-norm.
  auto ffn_block = [&](int x, int64_t width, int64_t ffn) {
    b.set_current(x);
    b.token_linear(ffn, true, ActivationKind::ReLU);
    const int o = b.token_linear(width, true);
    b.add(x, o);
    return b.layer_norm();
  };

  const int64_t enc_width = kEmbedDims[arch[kEncoderEmbed]];
  int x = b.embedding(vocabulary_, enc_width, 0, src);
  std::array<int, kEncoderLayers> encoder_out{};
  for (int l = 0; l < kEncoderLayers; ++l) {
    x = attention_block(x, x, enc_width, kHeads[arch[kEncoderHeads + l]], false);
    x = ffn_block(x, enc_width, kFfnDims[arch[kEncoderFfn + l]]);
    encoder_out[l] = x;
  }

  const int64_t dec_width = kEmbedDims[arch[kDecoderEmbed]];
  b.set_current(kNetworkInput);
  int y = b.embedding(vocabulary_, dec_width, src, tgt);
  for (int l = 0; l < decoder_depth(arch); ++l) {
    y = attention_block(y, y, dec_width, kHeads[arch[kDecoderHeads + l]], true);
    // Arbitrary encoder-decoder attention: the last 1, 2 or 3 encoder
    // layers' outputs, earliest first, joined along the token axis.
    const int attended = attended_layers(arch, l);
    int memory = encoder_out[kEncoderLayers - 1];
    if (attended > 1) {
      std::vector<int> parts;
      for (int e = kEncoderLayers - attended; e < kEncoderLayers; ++e) parts.push_back(encoder_out[e]);
      memory = b.token_concat(parts);
    }
    y = attention_block(y, memory, dec_width, kHeads[arch[kCrossHeads + l]], false);
    y = ffn_block(y, dec_width, kFfnDims[arch[kDecoderFfn + l]]);
  }
  b.set_current(y);
  b.token_linear(vocabulary_, false);  // the output projection (fairseq: no bias)
  return std::move(b).finish();
}

Architecture TransformerLT::canonicalize(const Architecture& arch) const {
  check(arch);
  Architecture out = arch;
  for (int l = decoder_depth(arch); l < kDecoderSlots; ++l) {
    out[kDecoderFfn + l] = 0;
    out[kDecoderHeads + l] = 0;
    out[kCrossHeads + l] = 0;
    out[kCrossLayers + l] = 0;
  }
  return out;
}

namespace {

bool decoder_slot_variable(int i, int& slot) {
  for (int base : {TransformerLT::kDecoderFfn, TransformerLT::kDecoderHeads, TransformerLT::kCrossHeads,
                   TransformerLT::kCrossLayers}) {
    if (i >= base && i < base + TransformerLT::kDecoderSlots) {
      slot = i - base;
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<double> TransformerLT::encode(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  std::vector<double> x(encoding_size(), 0.0);
  std::size_t offset = 0;
  for (int i = 0; i < kVariables; ++i) {
    int slot = 0;
    const bool unused = decoder_slot_variable(i, slot) && slot >= decoder_depth(c);
    if (!unused) x[offset + c[i]] = 1.0;
    offset += variables_[i].labels.size();
  }
  return x;
}

// Why 24 lowerings are exact: a layer's key depends on the two embedding
// dims, the sequence lengths, and at most two choices of its own layer (the
// FFN width; or the head count and, for an encoder-decoder attention, the
// number of attended encoder layers); never on the layer's index or depth.
// For each (encoder dim, decoder dim) pair, the six networks of full depth
// with every FFN and attended-layers slot at choice j and every head slot at
// choice h take every such value and pair somewhere. The tests compare the
// set with the layers of random networks.
std::vector<Layer> TransformerLT::distinct_layers() const {
  std::vector<Layer> layers;
  std::set<std::string> seen;
  for (int pair = 0; pair < 2 * 2 * 3 * 2; ++pair) {
    const int ee = pair / 12, de = pair / 6 % 2, j = pair / 2 % 3, h = pair % 2;
    Architecture arch(kVariables, 0);  // decoder_layer_num choice 0: 6 layers
    arch[kEncoderEmbed] = ee;
    arch[kDecoderEmbed] = de;
    for (int l = 0; l < kEncoderLayers; ++l) {
      arch[kEncoderFfn + l] = j;
      arch[kEncoderHeads + l] = h;
    }
    for (int l = 0; l < kDecoderSlots; ++l) {
      arch[kDecoderFfn + l] = j;
      arch[kDecoderHeads + l] = h;
      arch[kCrossHeads + l] = h;
      arch[kCrossLayers + l] = j;
    }
    for (Layer& layer : lower(arch).layers) {
      if (seen.insert(layer.key()).second) layers.push_back(std::move(layer));
    }
  }
  return layers;
}

Architecture TransformerLT::smallest() const {
  Architecture arch(kVariables, 0);
  arch[kEncoderEmbed] = 1;  // 512
  arch[kDecoderEmbed] = 1;
  for (int l = 0; l < kEncoderLayers; ++l) {
    arch[kEncoderFfn + l] = 2;  // 1024
    arch[kEncoderHeads + l] = 1;  // 4
  }
  arch[kDecoderLayers] = 5;  // 1 layer
  arch[kDecoderFfn] = 2;
  arch[kDecoderHeads] = 1;
  arch[kCrossHeads] = 1;
  arch[kCrossLayers] = 0;  // the last encoder layer only
  return canonicalize(arch);
}

Architecture TransformerLT::largest() const {
  Architecture arch(kVariables, 0);  // 640, 3072, 6 layers, 8 heads
  for (int l = 0; l < kDecoderSlots; ++l) arch[kCrossLayers + l] = 2;  // the last 3 encoder layers
  return arch;
}

std::string TransformerLT::distinct_networks() const {
  // Encoder: 2 dims x 3^6 FFN x 2^6 heads. Decoder: 2 dims x the sum over
  // depths L of (3 FFN x 2 x 2 heads x 3 attended)^L. Every class is a
  // different NetworkSpec (heads change the attention layers' keys).
  int64_t decoder = 0, per_depth = 1;
  for (int depth = 1; depth <= kDecoderSlots; ++depth) {
    per_depth *= 3 * 2 * 2 * 3;
    decoder += per_depth;
  }
  int64_t encoder = 2;
  for (int l = 0; l < kEncoderLayers; ++l) encoder *= 3 * 2;
  return std::to_string(encoder * 2 * decoder);
}

}  // namespace nasctl::spaces::transformer_lt
