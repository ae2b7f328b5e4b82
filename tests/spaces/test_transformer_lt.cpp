// The Transformer-LT space (plugins/spaces/transformer-lt): text forms and
// their round trip, counts against a formula written from HAT's layer
// structure (and literal numbers for the smallest network), the layer
// enumeration `lut build` uses, the extremes, and bad input in one line.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "error_text.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "plugin_config.hpp"
#include "transformer_lt.hpp"

using namespace nasctl;
using namespace nasctl::test;
using nasctl::spaces::transformer_lt::TransformerLT;

namespace {

std::unique_ptr<TransformerLT> space(int64_t src = 30, int64_t tgt = 30, int64_t vocab = 32768) {
  return make_plugin<TransformerLT>(
      {{"source_length", src}, {"target_length", tgt}, {"vocabulary", vocab}});
}

// HAT's SubTransformer counted layer by layer: q/k/v projections to 512
// with bias, attention 2*Tq*Tk*512, output projection, FFN, 2 or 3 layer
// norms of 2 parameters per feature, embeddings vocab x width, the output
// projection width x vocab without bias.
NetworkCost by_formula(const TransformerLT& s, const Architecture& a) {
  const int64_t S = s.source_length(), T = s.target_length(), V = s.vocabulary(), Q = 512;
  const int64_t E = TransformerLT::kEmbedDims[a[TransformerLT::kEncoderEmbed]];
  const int64_t D = TransformerLT::kEmbedDims[a[TransformerLT::kDecoderEmbed]];
  NetworkCost c;
  c.params = V * E + V * D + D * V;
  c.macs = T * D * V;
  for (int l = 0; l < 6; ++l) {
    const int64_t F = TransformerLT::kFfnDims[a[TransformerLT::kEncoderFfn + l]];
    c.macs += 3 * S * E * Q + 2 * S * S * Q + S * Q * E + 2 * S * E * F;
    c.params += 3 * (E * Q + Q) + Q * E + E + E * F + F + F * E + E + 2 * 2 * E;
  }
  for (int l = 0; l < TransformerLT::decoder_depth(a); ++l) {
    const int64_t F = TransformerLT::kFfnDims[a[TransformerLT::kDecoderFfn + l]];
    const int64_t K = S * TransformerLT::attended_layers(a, l);
    c.macs += 3 * T * D * Q + 2 * T * T * Q + T * Q * D;          // self-attention
    c.macs += T * D * Q + 2 * K * E * Q + 2 * T * K * Q + T * Q * D;  // encoder-decoder attention
    c.macs += 2 * T * D * F;
    c.params += 3 * (D * Q + Q) + Q * D + D;
    c.params += D * Q + Q + 2 * (E * Q + Q) + Q * D + D;
    c.params += D * F + F + F * D + D + 3 * 2 * D;
  }
  return c;
}

}  // namespace

TEST_CASE("transformer-lt: the smallest and largest networks at the defaults, counted by hand") {
  const auto s = space();
  // 512 wide, FFN 1024, 1 decoder layer attending to the last encoder layer,
  // S = T = 30, vocabulary 32768 (numbers worked out separately).
  const NetworkCost small = count_cost(s->lower(s->smallest()));
  CHECK(small.macs == 982548480);
  CHECK(small.params == 66102784);
  CHECK(small.macs == by_formula(*s, s->smallest()).macs);
  const NetworkCost large = count_cost(s->lower(s->largest()));
  CHECK(large.macs == by_formula(*s, s->largest()).macs);
  CHECK(large.params == by_formula(*s, s->largest()).params);
  CHECK(large.macs > small.macs);
  CHECK(s->to_string(s->smallest()) ==
        "ee=512;de=512;ef=1024,1024,1024,1024,1024,1024;df=1024,-,-,-,-,-;dl=1;eh=4,4,4,4,4,4;dh=4,-,-,-,-,-;"
        "ch=4,-,-,-,-,-;ca=-1,-,-,-,-,-");
}

TEST_CASE("transformer-lt: counts of random networks match the formula at other lengths and vocabularies") {
  for (auto [src, tgt, vocab] : {std::array<int64_t, 3>{30, 30, 32768}, {7, 3, 100}, {1, 12, 5}}) {
    const auto s = space(src, tgt, vocab);
    Rng rng(11);
    for (int i = 0; i < 200; ++i) {
      const Architecture a = s->sample(rng);
      CAPTURE(s->to_string(a));
      const NetworkSpec spec = s->lower(a);
      check_network(spec);
      const NetworkCost c = count_cost(spec);
      const NetworkCost f = by_formula(*s, a);
      CHECK(c.macs == f.macs);
      CHECK(c.params == f.params);
      CHECK(spec.input == TensorShape{1, src + tgt, 1});
      CHECK(spec.output() == TensorShape{vocab, tgt, 1});
    }
  }
}

TEST_CASE("transformer-lt: a tiny network's layers, one by one") {
  // S = 2, T = 1: the attention and cross-attention shapes are visible.
  const auto s = space(2, 1, 3);
  const Architecture a = s->parse("ee=512;de=640;ef=1024,1024,1024,1024,1024,1024;df=2048,-,-,-,-,-;dl=1;"
                                  "eh=8,8,8,8,8,8;dh=4,-,-,-,-,-;ch=8,-,-,-,-,-;ca=2,-,-,-,-,-");
  const NetworkSpec spec = s->lower(a);
  std::map<std::string, int> ops;
  for (const Layer& l : spec.layers) ++ops[to_string(l.op)];
  // Encoder: 6 x (4 + 2 linears, attention, 2 adds, 2 norms); decoder:
  // 4 + 4 + 2 linears, 2 attentions, 3 adds, 3 norms, one concat of 3
  // encoder outputs; 2 embeddings; the output projection.
  CHECK(ops["linear"] == 6 * 6 + 10 + 1);
  CHECK(ops["attn"] == 6 + 2);
  CHECK(ops["add"] == 6 * 2 + 3);
  CHECK(ops["ln"] == 6 * 2 + 3);
  CHECK(ops["embed"] == 2);
  CHECK(ops["tconcat"] == 1);
  CHECK(spec.layers.size() == 47 + 8 + 15 + 15 + 2 + 1);
  std::set<std::string> keys;
  for (const Layer& l : spec.layers) keys.insert(l.key());
  CHECK(keys.count("embed|1x3x1|512x2x1|v3") == 1);
  CHECK(keys.count("embed|1x3x1|640x1x1|v3") == 1);
  CHECK(keys.count("attn|512x2x1|512x2x1|h8|kv2") == 1);            // encoder self-attention
  CHECK(keys.count("attn|512x1x1|512x1x1|h4|kv1|causal") == 1);     // decoder self-attention
  CHECK(keys.count("attn|512x1x1|512x1x1|h8|kv6") == 1);            // attends to 3 encoder layers of 2 tokens
  CHECK(keys.count("tconcat|512x2x1|512x6x1|n3") == 1);
  CHECK(keys.count("linear|512x6x1|512x6x1|bias") == 1);            // k and v of the joined memory
  CHECK(keys.count("linear|640x1x1|3x1x1") == 1);                   // output projection
  // Attention: 2 * Tq * Tk * 512 MACs, no parameters.
  for (const Layer& l : spec.layers) {
    if (l.key() == "attn|512x1x1|512x1x1|h8|kv6") {
      CHECK(layer_macs(l) == 2 * 1 * 6 * 512);
      CHECK(layer_params(l) == 0);
    }
    if (l.op == OpKind::LayerNorm) CHECK(layer_params(l) == 2 * l.in.channels);
    if (l.op == OpKind::Embedding) {
      CHECK(layer_params(l) == 3 * l.out.channels);
      CHECK(layer_macs(l) == 0);
    }
  }
}

TEST_CASE("transformer-lt: canonical and DyNAS-T strings round trip") {
  const auto s = space();
  Rng rng(5);
  for (int i = 0; i < 500; ++i) {
    const Architecture a = s->sample(rng);
    const Architecture c = s->canonicalize(a);
    CHECK(s->parse(s->to_string(a)) == c);
    CHECK(s->parse(s->to_dynast(a)) == c);
    CHECK(s->to_string(s->parse(s->to_string(a))) == s->to_string(a));
    CHECK(count_cost(s->lower(a)).macs == count_cost(s->lower(c)).macs);
    CHECK(s->encode(a) == s->encode(c));
  }
  // DyNAS-T's dict as its TransformerLT interface writes it, and HAT's
  // per-layer lists only as long as the decoder.
  const Architecture d = s->parse(
      "{'encoder_embed_dim': [640], 'decoder_embed_dim': [512], 'encoder_ffn_embed_dim': [3072, 3072, 3072, 3072, "
      "3072, 3072], 'decoder_ffn_embed_dim': [2048, 3072, 1024, 1024, 1024, 1024], 'decoder_layer_num': [2], "
      "'encoder_self_attention_heads': [8, 8, 8, 8, 8, 4], 'decoder_self_attention_heads': [4, 8, 8, 8, 8, 8], "
      "'decoder_ende_attention_heads': [4, 8, 4, 4, 4, 4], 'decoder_arbitrary_ende_attn': [-1, 1, 2, 2, 2, 2]}");
  CHECK(s->to_string(d) == "ee=640;de=512;ef=3072,3072,3072,3072,3072,3072;df=2048,3072,-,-,-,-;dl=2;"
                           "eh=8,8,8,8,8,4;dh=4,8,-,-,-,-;ch=4,8,-,-,-,-;ca=-1,1,-,-,-,-");
  const Architecture h = s->parse(
      "{'encoder_embed_dim': 640, 'decoder_embed_dim': 512, 'encoder_ffn_embed_dim': [3072, 3072, 3072, 3072, "
      "3072, 3072], 'decoder_ffn_embed_dim': [2048, 3072], 'decoder_layer_num': 2, "
      "'encoder_self_attention_heads': [8, 8, 8, 8, 8, 4], 'decoder_self_attention_heads': [4, 8], "
      "'decoder_ende_attention_heads': [4, 8], 'decoder_arbitrary_ende_attn': [-1, 1],}");
  CHECK(h == d);
  CHECK(s->to_dynast(d).rfind("{'encoder_embed_dim': [640], 'decoder_embed_dim': [512], ", 0) == 0);
}

TEST_CASE("transformer-lt: bad strings give one line naming the key and the fix") {
  const auto s = space();
  const std::string good = s->to_string(s->largest());
  auto err = [&](const std::string& text) { return error_of([&] { s->parse(text); }); };
  const std::string wrong_length = err("ee=640;de=640;ef=3072,3072;df=3072,3072,3072,3072,3072,3072;dl=6;"
                                       "eh=8,8,8,8,8,8;dh=8,8,8,8,8,8;ch=8,8,8,8,8,8;ca=2,2,2,2,2,2");
  CHECK(wrong_length.find("ef (encoder_ffn_embed_dim) has 2 values, expected 6") != std::string::npos);
  CHECK(err(good + ";xx=1").find("unknown key 'xx'") != std::string::npos);
  CHECK(err("ee=600" + good.substr(6)).find("ee[0] = 600 is not one of {640, 512}") != std::string::npos);
  CHECK(err("{'encoder_embed_dim': [640], 'heads': [8]}").find("unknown key 'heads'") != std::string::npos);
  const std::string dash = err("ee=640;de=640;ef=3072,3072,3072,3072,3072,3072;df=3072,-,-,-,-,-;dl=2;"
                               "eh=8,8,8,8,8,8;dh=8,8,-,-,-,-;ch=8,8,-,-,-,-;ca=2,2,-,-,-,-");
  CHECK(dash.find("df[1] is '-' but decoder layer 1 is used (dl = 2)") != std::string::npos);
  CHECK(err(good.substr(0, good.size() - 1) + "3").find("ca[5] = 3 is not one of {-1, 1, 2}") != std::string::npos);
  for (const std::string& e : {wrong_length, dash}) {
    CHECK(e.find('\n') == std::string::npos);
    CHECK(e.find("fix:") != std::string::npos);
  }
}

TEST_CASE("transformer-lt: bad config values name the key") {
  CHECK(error_of([] { space(0, 30, 100); }).find("source_length") != std::string::npos);
  CHECK(error_of([] { space(30, 30, 0); }).find("vocabulary") != std::string::npos);
}

TEST_CASE("transformer-lt: distinct_layers is exactly the layers of the space's networks") {
  for (auto [src, tgt] : {std::array<int64_t, 2>{30, 30}, {9, 4}}) {
    const auto s = space(src, tgt, 50);
    std::set<std::string> listed;
    for (const Layer& l : s->distinct_layers()) CHECK(listed.insert(l.key()).second);  // no duplicates
    std::set<std::string> sampled;
    Rng rng(2);
    for (int i = 0; i < 600; ++i) {
      for (const Layer& l : s->lower(s->sample(rng)).layers) sampled.insert(l.key());
    }
    for (const std::string& k : sampled) CHECK_MESSAGE(listed.count(k) == 1, k);
    for (const std::string& k : listed) CHECK_MESSAGE(sampled.count(k) == 1, k);
    if (src != 9) continue;
    // By hand at S = 9, T = 4 (no two layer kinds share a shape):
    // embeddings 2 + 2. Encoder, per width E: q/k/v projection, output
    // projection, add, norm, 3 FFN-in, 3 FFN-out = 10, x 2; its attention
    // (512 wide whatever E) 2 head counts. Decoder, per width D: q/k/v, output
    // projection, add, norm, 3 + 3 FFN, vocabulary projection = 11, x 2; causal
    // attention 2. Cross-attention: k/v over 2 or 3 joined encoder outputs
    // and the joins, 2 + 2 per E; attention over 1/2/3 encoder layers x 2 heads.
    // At width 512 the output projection 512 -> 512 is the q/k/v projection's
    // signature: one fewer in the encoder and one in the decoder.
    CHECK(listed.size() == 4 + (20 + 2) + (22 + 2) + 8 + 6 - 2);
  }
}

TEST_CASE("transformer-lt: extremes and the number of distinct networks") {
  const auto s = space();
  // 2 * 6^6 encoders x 2 * sum_{L=1..6} 36^L decoders.
  int64_t decoders = 0, p = 1;
  for (int l = 1; l <= 6; ++l) decoders += (p *= 36);
  CHECK(s->distinct_networks() == std::to_string(2 * 46656 * 2 * decoders));
  Rng rng(9);
  const int64_t lo = count_cost(s->lower(s->smallest())).macs, hi = count_cost(s->lower(s->largest())).macs;
  for (int i = 0; i < 300; ++i) {
    const int64_t m = count_cost(s->lower(s->sample(rng))).macs;
    CHECK(m >= lo);
    CHECK(m <= hi);
  }
}
