// Transformer-LT text forms: the canonical "ee=640;de=512;ef=...;..." and
// DyNAS-T's dict "{'encoder_embed_dim': [640], ...}". Both parse to the same
// Values, which one function checks and converts, so the two forms cannot
// disagree on what is valid.
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/keyed_lists.hpp"
#include "nasctl/text.hpp"
#include "transformer_lt.hpp"

namespace nasctl::spaces::transformer_lt {

namespace {

// Per key, DyNAS-T order: canonical short name, DyNAS-T name, value count.
struct KeyInfo {
  const char* brief;
  const char* dynast;
  std::size_t count;
};
constexpr std::array<KeyInfo, 9> kKeys{{
    {"ee", "encoder_embed_dim", 1},
    {"de", "decoder_embed_dim", 1},
    {"ef", "encoder_ffn_embed_dim", TransformerLT::kEncoderLayers},
    {"df", "decoder_ffn_embed_dim", TransformerLT::kDecoderSlots},
    {"dl", "decoder_layer_num", 1},
    {"eh", "encoder_self_attention_heads", TransformerLT::kEncoderLayers},
    {"dh", "decoder_self_attention_heads", TransformerLT::kDecoderSlots},
    {"ch", "decoder_ende_attention_heads", TransformerLT::kDecoderSlots},
    {"ca", "decoder_arbitrary_ende_attn", TransformerLT::kDecoderSlots},
}};
// Keys whose values are per decoder slot (unused past the decoder depth).
bool per_decoder_slot(std::size_t key) { return key == 3 || key >= 6; }

// Calls put(key, first architecture index, value count, choice values) for
// each key of kKeys in order: what both string forms print.
// kKeys as the shared keyed-list readers take them.
const std::vector<ListKey>& list_keys() {
  static const std::vector<ListKey> keys = [] {
    std::vector<ListKey> out;
    for (const KeyInfo& k : kKeys) out.push_back({k.brief, k.dynast, k.count});
    return out;
  }();
  return keys;
}

template <typename Put>
void for_each_key(Put&& put) {
  using T = TransformerLT;
  put(0, T::kEncoderEmbed, 1, T::kEmbedDims);
  put(1, T::kDecoderEmbed, 1, T::kEmbedDims);
  put(2, T::kEncoderFfn, T::kEncoderLayers, T::kFfnDims);
  put(3, T::kDecoderFfn, T::kDecoderSlots, T::kFfnDims);
  put(4, T::kDecoderLayers, 1, T::kDecoderDepths);
  put(5, T::kEncoderHeads, T::kEncoderLayers, T::kHeads);
  put(6, T::kDecoderHeads, T::kDecoderSlots, T::kHeads);
  put(7, T::kCrossHeads, T::kDecoderSlots, T::kHeads);
  put(8, T::kCrossLayers, T::kDecoderSlots, T::kArbitrary);
}

template <std::size_t N>
std::string braced_list(const std::array<int64_t, N>& values) {
  std::string s = "{";
  for (std::size_t i = 0; i < N; ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + "}";
}

}  // namespace

void TransformerLT::fail(std::string_view text, const std::string& what) const {
  std::string shown(text.substr(0, 100));
  if (text.size() > 100) shown += "...";
  throw Error("transformer-lt architecture '" + shown + "': " + what +
              "; fix: write 'ee=640;de=512;ef=<6 of 3072/2048/1024>;df=<6>;dl=<1..6>;eh=<6 of 8/4>;dh=<6>;ch=<6>;"
              "ca=<6 of -1/1/2>' ('-' for decoder slots past dl) or DyNAS-T's dict");
}

std::string TransformerLT::to_string(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  const int depth = decoder_depth(c);
  std::string s;
  auto put = [&](std::size_t key, int base, int count, auto values) {
    s += std::string(s.empty() ? "" : ";") + kKeys[key].brief + "=";
    for (int i = 0; i < count; ++i) {
      if (i) s += ',';
      s += per_decoder_slot(key) && i >= depth ? "-" : std::to_string(values[c[base + i]]);
    }
  };
  for_each_key(put);
  return s;
}

std::string TransformerLT::to_dynast(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  std::string s = "{";
  auto put = [&](std::size_t key, int base, int count, auto values) {
    s += std::string(s.size() > 1 ? ", '" : "'") + kKeys[key].dynast + "': [";
    for (int i = 0; i < count; ++i) s += (i ? ", " : "") + std::to_string(values[c[base + i]]);
    s += "]";
  };
  for_each_key(put);
  return s + "}";
}

Architecture TransformerLT::parse(std::string_view text) const {
  const std::string_view body = trimmed(text);
  if (body.empty()) fail(text, "is empty");
  const Values v = body.front() == '{' ? parse_dynast(body) : parse_canonical(body);
  return from_values(text, v);
}

TransformerLT::Values TransformerLT::parse_canonical(std::string_view text) const {
  try {
    return read_keyed_lists(text, list_keys(), kUnset);
  } catch (const KeyedListError& e) {
    fail(text, e.what());
  }
}

TransformerLT::Values TransformerLT::parse_dynast(std::string_view text) const {
  Values v;
  try {
    v = read_dynast_dict(text, list_keys());
  } catch (const KeyedListError& e) {
    fail(text, e.what());
  }
  // HAT writes the per-decoder-layer lists only as long as decoder_layer_num
  // (DyNAS-T always 6): pad the short ones with unused slots.
  if (v[4].size() == 1) {
    for (std::size_t k = 0; k < kKeys.size(); ++k) {
      if (per_decoder_slot(k) && static_cast<int64_t>(v[k].size()) == v[4][0] && v[k].size() < kKeys[k].count)
        v[k].resize(kKeys[k].count, kUnset);
    }
  }
  return v;
}

Architecture TransformerLT::from_values(std::string_view text, const Values& v) const {
  for (std::size_t k = 0; k < kKeys.size(); ++k) {
    if (v[k].size() != kKeys[k].count)
      fail(text, std::string(kKeys[k].brief) + " (" + kKeys[k].dynast + ") has " + std::to_string(v[k].size()) +
                     " values, expected " + std::to_string(kKeys[k].count));
  }
  Architecture arch(kVariables, 0);
  // The decoder depth first: it decides which slots may be '-'.
  auto pick = [&](std::size_t key, std::size_t i, int target, const auto& choices) {
    const int64_t value = v[key][i];
    const std::string at = std::string(kKeys[key].brief) + "[" + std::to_string(i) + "]";
    if (value == kUnset) {
      if (!per_decoder_slot(key) || static_cast<int>(i) < decoder_depth(arch))
        fail(text, at + " is '-' but " +
                       (per_decoder_slot(key) ? "decoder layer " + std::to_string(i) + " is used (dl = " +
                                                    std::to_string(decoder_depth(arch)) + ")"
                                              : std::string("the value is needed")));
      return;  // unused slot: canonical choice 0
    }
    const int choice = choice_index(choices, value);
    if (choice < 0) fail(text, at + " = " + std::to_string(value) + " is not one of " + braced_list(choices));
    arch[target] = choice;
  };
  pick(4, 0, kDecoderLayers, kDecoderDepths);
  pick(0, 0, kEncoderEmbed, kEmbedDims);
  pick(1, 0, kDecoderEmbed, kEmbedDims);
  for (int i = 0; i < kEncoderLayers; ++i) {
    pick(2, i, kEncoderFfn + i, kFfnDims);
    pick(5, i, kEncoderHeads + i, kHeads);
  }
  for (int i = 0; i < kDecoderSlots; ++i) {
    pick(3, i, kDecoderFfn + i, kFfnDims);
    pick(6, i, kDecoderHeads + i, kHeads);
    pick(7, i, kCrossHeads + i, kHeads);
    pick(8, i, kCrossLayers + i, kArbitrary);
  }
  return canonicalize(arch);
}

}  // namespace nasctl::spaces::transformer_lt
