// The bert-base and vit-base spaces (plugins/spaces/bert-vit): counts
// against a formula written from BERT's and ViT's layer structure and
// literal numbers (BERT-base: 109,482,240 parameters without the SST-2
// classifier, as Hugging Face's bert-base-uncased; ViT-B/16: 86,567,656 and
// 17.56 GMACs, as torchvision's vit_b_16), text forms and their round trip,
// the layer enumeration `lut build` uses, the extremes, and bad input in one
// line.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "encoder_space.hpp"
#include "error_text.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"
#include "plugin_config.hpp"

using namespace nasctl;
using namespace nasctl::test;
using nasctl::spaces::bert_vit::BertBase;
using nasctl::spaces::bert_vit::EncoderSpace;
using nasctl::spaces::bert_vit::VitBase;

namespace {

// One encoder layer at T tokens, h heads of 64, FFN width I: q/k/v and
// output projections with bias, attention 2*T*T*64h, the FFN with biases,
// two layer norms.
NetworkCost encoder_layer(int64_t T, int64_t h, int64_t I) {
  const int64_t D = 64 * h;
  NetworkCost c;
  c.params = 3 * (768 * D + D) + D * 768 + 768 + 768 * I + I + I * 768 + 768 + 2 * 2 * 768;
  c.macs = 3 * T * 768 * D + 2 * T * T * D + T * D * 768 + 2 * T * 768 * I;
  return c;
}

NetworkCost layers(const EncoderSpace& s, const Architecture& a, int64_t T) {
  NetworkCost c;
  for (int l = 0; l < s.depth(a); ++l) {
    const NetworkCost one = encoder_layer(T, EncoderSpace::heads(a, l), EncoderSpace::intermediate(a, l));
    c.params += one.params;
    c.macs += one.macs;
  }
  return c;
}

// Word, position (512) and token-type (2) tables, their layer norm, the
// layers, the pooler 768 -> 768 and the classifier.
NetworkCost bert_formula(const BertBase& s, const Architecture& a) {
  const int64_t V = s.vocabulary(), C = s.classes();
  NetworkCost c = layers(s, a, s.sequence_length());
  c.params += V * 768 + 512 * 768 + 2 * 768 + 2 * 768 + 768 * 768 + 768 + 768 * C + C;
  c.macs += 768 * 768 + 768 * C;
  return c;
}

// The 16x16 patch convolution (bias), class token, positions for N + 1
// tokens, the layers, the final layer norm and the head.
NetworkCost vit_formula(const VitBase& s, const Architecture& a) {
  const int64_t N = (s.image_size() / 16) * (s.image_size() / 16), C = s.classes();
  NetworkCost c = layers(s, a, N + 1);
  c.params += 3 * 16 * 16 * 768 + 768 + 768 + (N + 1) * 768 + 2 * 768 + 768 * C + C;
  c.macs += 3 * 16 * 16 * 768 * N + 768 * C;
  return c;
}

std::string all(const std::string& value) {
  std::string s;
  for (int i = 0; i < 12; ++i) s += (i ? "," : "") + value;
  return s;
}

}  // namespace

TEST_CASE("bert-base: BERT-base's 109.48 M parameters at 12 layers, 12 heads, 3072, the smallest network by hand") {
  const auto s = make_plugin<BertBase>();
  const NetworkSpec largest = s->lower(s->largest());
  check_network(largest);
  const NetworkCost big = count_cost(largest);
  // bert-base-uncased: 109,482,240; plus the 768 x 2 + 2 classifier.
  CHECK(big.params == 109482240 + 768 * 2 + 2);
  CHECK(big.macs == 11174217216);
  CHECK(s->to_string(s->largest()) == "l=12;h=" + all("12") + ";i=" + all("3072"));
  const NetworkCost small = count_cost(s->lower(s->smallest()));
  CHECK(small.params == 40985090);
  CHECK(small.macs == 2190018048);
  CHECK(s->to_string(s->smallest()) == "l=6;h=6,6,6,6,6,6,-,-,-,-,-,-;i=1024,1024,1024,1024,1024,1024,-,-,-,-,-,-");
  CHECK(largest.output() == TensorShape{2, 1, 1});
}

TEST_CASE("vit-base: ViT-B/16's 86.57 M parameters and 17.56 GMACs at 12 layers, 12 heads, 3072") {
  const auto s = make_plugin<VitBase>();
  const NetworkSpec largest = s->lower(s->largest());
  check_network(largest);
  const NetworkCost big = count_cost(largest);
  CHECK(big.params == 86567656);  // torchvision's vit_b_16
  CHECK(big.macs == 17563828224);
  const NetworkCost small = count_cost(s->lower(s->smallest()));
  CHECK(small.params == 29106152);
  CHECK(small.macs == 5836875264);
  CHECK(s->to_string(s->smallest()) == "l=10;h=6,6,6,6,6,6,6,6,6,6,-,-;i=1024,1024,1024,1024,1024,1024,1024,1024,1024,1024,-,-");
  // 196 patches and the class token; the head reads the class token.
  CHECK(largest.layers[1].out == TensorShape{768, 196, 1});
  CHECK(largest.layers[2].out == TensorShape{768, 197, 1});
  CHECK(largest.output() == TensorShape{1000, 1, 1});
}

TEST_CASE("bert-base and vit-base: random networks count as the formula, at other lengths, sizes and classes") {
  Rng rng(11);
  for (const auto& [T, V, C] : {std::tuple{int64_t{128}, int64_t{30522}, int64_t{2}}, {8, 50, 5}, {512, 1000, 3}}) {
    const auto s = make_plugin<BertBase>({{"sequence_length", T}, {"vocabulary", V}, {"classes", C}});
    for (int i = 0; i < 40; ++i) {
      const Architecture a = s->sample(rng);
      CAPTURE(s->to_string(a));
      const NetworkSpec spec = s->lower(a);
      check_network(spec);
      const NetworkCost got = count_cost(spec), want = bert_formula(*s, a);
      CHECK(got.params == want.params);
      CHECK(got.macs == want.macs);
    }
  }
  for (const auto& [S, C] : {std::pair{int64_t{224}, int64_t{1000}}, {32, 10}, {384, 100}}) {
    const auto s = make_plugin<VitBase>({{"image_size", S}, {"classes", C}});
    for (int i = 0; i < 40; ++i) {
      const Architecture a = s->sample(rng);
      CAPTURE(s->to_string(a));
      const NetworkSpec spec = s->lower(a);
      check_network(spec);
      const NetworkCost got = count_cost(spec), want = vit_formula(*s, a);
      CHECK(got.params == want.params);
      CHECK(got.macs == want.macs);
    }
  }
}

TEST_CASE("bert-base and vit-base: canonical strings and DyNAS-T's dicts round-trip exactly") {
  Rng rng(5);
  const auto bert = make_plugin<BertBase>();
  const auto vit = make_plugin<VitBase>();
  for (const EncoderSpace* s : {static_cast<const EncoderSpace*>(bert.get()), static_cast<const EncoderSpace*>(vit.get())}) {
    for (int i = 0; i < 300; ++i) {
      const Architecture a = s->canonicalize(s->sample(rng));
      const std::string text = s->to_string(a);
      CAPTURE(text);
      CHECK(s->parse(text) == a);
      CHECK(s->to_string(s->parse(text)) == text);
      CHECK(s->parse(s->to_dynast(a)) == a);
    }
  }
  // DyNAS-T's form as its encodings write it: every list 12 long, values past
  // num_layers ignored; a bare num_layers and lists as long as it accepted.
  const Architecture a = bert->parse(
      "{'num_layers': [7], 'num_attention_heads': [12, 8, 6, 10, 12, 12, 8, 6, 6, 10, 12, 8], "
      "'intermediate_size': [3072, 1024, 2048, 3072, 3072, 1024, 2048, 1024, 1024, 3072, 2048, 1024]}");
  CHECK(bert->to_string(a) == "l=7;h=12,8,6,10,12,12,8,-,-,-,-,-;i=3072,1024,2048,3072,3072,1024,2048,-,-,-,-,-");
  CHECK(bert->parse("{\"num_layers\": 7, \"num_attention_heads\": [12, 8, 6, 10, 12, 12, 8], "
                    "\"intermediate_size\": [3072, 1024, 2048, 3072, 3072, 1024, 2048],}") == a);
  CHECK(vit->to_dynast(vit->largest()) ==
        "{'num_layers': [12], 'num_attention_heads': [12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12], "
        "'vit_intermediate_sizes': [3072, 3072, 3072, 3072, 3072, 3072, 3072, 3072, 3072, 3072, 3072, 3072]}");
  // Unused slots are canonicalised: two choice vectors, one network.
  Architecture b = bert->smallest();
  b[EncoderSpace::kHeads + 11] = 3;
  CHECK(bert->canonicalize(b) == bert->smallest());
  CHECK(bert->encode(b) == bert->encode(bert->smallest()));
}

TEST_CASE("bert-base and vit-base: bad architecture strings are one-line errors naming the key") {
  const auto bert = make_plugin<BertBase>();
  const auto vit = make_plugin<VitBase>();
  const std::string h = ";h=" + all("8"), i = ";i=" + all("2048");
  auto err = [&](const EncoderSpace& s, const std::string& text) {
    const std::string e = error_of([&] { s.parse(text); });
    CHECK(e.find('\n') == std::string::npos);
    return e;
  };
  CHECK(err(*bert, "l=12;h=8,8,8;i=" + all("2048")).find("h (num_attention_heads) has 3 values, expected 12") !=
        std::string::npos);
  CHECK(err(*bert, "l=13" + h + i).find("l = 13 is not one of {6, 7, 8, 9, 10, 11, 12}") != std::string::npos);
  CHECK(err(*vit, "l=9" + h + i).find("l = 9 is not one of {10, 11, 12}") != std::string::npos);
  CHECK(err(*bert, "l=12;h=" + all("7") + i).find("h[0] = 7 is not one of {6, 8, 10, 12}") != std::string::npos);
  CHECK(err(*bert, "l=12" + h + ";i=" + all("4096")).find("i[0] = 4096 is not one of {1024, 2048, 3072}") !=
        std::string::npos);
  CHECK(err(*bert, "l=6;h=8,8,8,8,8,-,-,-,-,-,-,-" + i).find("h[5] is '-' but layer 5 is used (l = 6)") !=
        std::string::npos);
  CHECK(err(*bert, "l=12" + h).find("missing key 'i'") != std::string::npos);
  CHECK(err(*bert, "l=12" + h + i + ";x=1").find("unknown key 'x'") != std::string::npos);
  CHECK(err(*bert, "l=12;h=" + all("eight") + i).find("h[0] = 'eight' is not an integer") != std::string::npos);
  CHECK(err(*vit, "{'num_layers': [12], 'num_attention_heads': [12], 'vit_intermediate_sizes': [3072]}")
            .find("h (num_attention_heads) has 1 values, expected 12") != std::string::npos);
  CHECK(err(*vit, "{'num_layers': [12], 'num_attention_heads': [12], 'intermediate_size': [3072]}")
            .find("unknown key 'intermediate_size' (DyNAS-T's keys are num_layers, num_attention_heads, "
                  "vit_intermediate_sizes)") != std::string::npos);
  CHECK(err(*bert, "").find("bert-base architecture '': is empty; fix: write 'l=<{6, 7, 8, 9, 10, 11, 12}>") !=
        std::string::npos);
}

TEST_CASE("bert-base and vit-base config errors name the key") {
  CHECK(error_of([] { make_plugin<BertBase>({{"sequence_length", int64_t{513}}}); })
            .find("sequence_length") != std::string::npos);
  CHECK(error_of([] { make_plugin<VitBase>({{"image_size", int64_t{100}}}); }).find("fix: give a multiple of 16") !=
        std::string::npos);
}

TEST_CASE("bert-base and vit-base: the enumerated layers are exactly the layers of the space's networks") {
  Rng rng(2);
  const auto bert = make_plugin<BertBase>({{"sequence_length", int64_t{16}}});
  const auto vit = make_plugin<VitBase>({{"image_size", int64_t{64}}});
  for (const EncoderSpace* s : {static_cast<const EncoderSpace*>(bert.get()), static_cast<const EncoderSpace*>(vit.get())}) {
    std::set<std::string> enumerated;
    for (const Layer& l : s->distinct_layers()) CHECK(enumerated.insert(l.key()).second);
    std::set<std::string> seen;
    for (int i = 0; i < 300; ++i) {
      for (const Layer& l : s->lower(s->sample(rng)).layers) seen.insert(l.key());
    }
    for (const Architecture& a : {s->smallest(), s->largest()}) {
      for (const Layer& l : s->lower(a).layers) seen.insert(l.key());
    }
    CHECK(seen == enumerated);
    // By hand: per head count q/k/v (one key), attention and the output
    // projection, less one (at 12 heads q/k/v and the output projection are
    // both 768 -> 768); per FFN width two linears; 8 fixed layers (BERT: word,
    // position and token-type embeddings, layer norm, add, first-token slice,
    // pooler, classifier; ViT: patch convolution, to-sequence, class token,
    // positions, layer norm, add, class-token slice, head).
    CHECK(enumerated.size() == 4 * 3 - 1 + 3 * 2 + 8);
  }
}

TEST_CASE("bert-base and vit-base: extremes bound random networks, and distinct networks count per depth") {
  Rng rng(8);
  const auto bert = make_plugin<BertBase>();
  const auto vit = make_plugin<VitBase>();
  for (const EncoderSpace* s : {static_cast<const EncoderSpace*>(bert.get()), static_cast<const EncoderSpace*>(vit.get())}) {
    const NetworkCost lo = count_cost(s->lower(s->smallest())), hi = count_cost(s->lower(s->largest()));
    for (int i = 0; i < 100; ++i) {
      const NetworkCost c = count_cost(s->lower(s->sample(rng)));
      CHECK(c.macs >= lo.macs);
      CHECK(c.macs <= hi.macs);
      CHECK(c.params >= lo.params);
      CHECK(c.params <= hi.params);
    }
  }
  // 12 = 4 head counts x 3 widths per used layer.
  int64_t bert_count = 0, vit_count = 0, p = 1;
  for (int d = 1; d <= 12; ++d) {
    p *= 12;
    if (d >= 6) bert_count += p;
    if (d >= 10) vit_count += p;
  }
  CHECK(bert->distinct_networks() == std::to_string(bert_count));
  CHECK(vit->distinct_networks() == std::to_string(vit_count));
}
