// Text forms of bert-base and vit-base: the canonical "l=12;h=...;i=..." and
// DyNAS-T's dict "{'num_layers': [12], 'num_attention_heads': [...], ...}".
// Both parse to the same Values, which one function checks and converts, so
// the two forms cannot disagree on what is valid.
#include <string>
#include <vector>

#include "encoder_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/keyed_lists.hpp"
#include "nasctl/text.hpp"

namespace nasctl::spaces::bert_vit {

namespace {

constexpr std::array<const char*, 3> kBrief{"l", "h", "i"};
constexpr std::array<std::size_t, 3> kCounts{1, EncoderSpace::kSlots, EncoderSpace::kSlots};

}  // namespace

void EncoderSpace::fail(std::string_view text, const std::string& what) const {
  std::string shown(text.substr(0, 100));
  if (text.size() > 100) shown += "...";
  throw Error(std::string(family_.space) + " architecture '" + shown + "': " + what + "; fix: write 'l=<" +
              braced_list(family_.depths) + ">;h=<12 of 6/8/10/12>;i=<12 of 1024/2048/3072>' ('-' for layers past l) "
              "or DyNAS-T's dict");
}

std::string EncoderSpace::to_string(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  const int used = depth(c);
  std::string s = "l=" + std::to_string(used);
  auto put = [&](const char* key, int base, const auto& values) {
    s += std::string(";") + key + "=";
    for (int i = 0; i < kSlots; ++i) s += (i ? "," : "") + (i >= used ? std::string("-") : std::to_string(values[c[base + i]]));
  };
  put("h", kHeads, kHeadChoices);
  put("i", kIntermediate, kIntermediateChoices);
  return s;
}

std::string EncoderSpace::to_dynast(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  std::string s = "{'num_layers': [" + std::to_string(depth(c)) + "]";
  auto put = [&](const std::string& key, int base, const auto& values) {
    s += ", '" + key + "': [";
    for (int i = 0; i < kSlots; ++i) s += (i ? ", " : "") + std::to_string(values[c[base + i]]);
    s += "]";
  };
  put("num_attention_heads", kHeads, kHeadChoices);
  put(family_.intermediate_key, kIntermediate, kIntermediateChoices);
  return s + "}";
}

Architecture EncoderSpace::parse(std::string_view text) const {
  const std::string_view body = trimmed(text);
  if (body.empty()) fail(text, "is empty");
  const Values v = body.front() == '{' ? parse_dynast(body) : parse_canonical(body);
  return from_values(text, v);
}

// The keys of both forms (the intermediate size's DyNAS-T name differs
// between BERT and ViT).
std::vector<ListKey> EncoderSpace::list_keys() const {
  return {{kBrief[0], "num_layers", kCounts[0]},
          {kBrief[1], "num_attention_heads", kCounts[1]},
          {kBrief[2], family_.intermediate_key, kCounts[2]}};
}

EncoderSpace::Values EncoderSpace::parse_canonical(std::string_view text) const {
  try {
    return read_keyed_lists(text, list_keys(), kUnset);
  } catch (const KeyedListError& e) {
    fail(text, e.what());
  }
}

EncoderSpace::Values EncoderSpace::parse_dynast(std::string_view text) const {
  Values v;
  try {
    v = read_dynast_dict(text, list_keys());
  } catch (const KeyedListError& e) {
    fail(text, e.what());
  }
  // Per-layer lists as long as num_layers (DyNAS-T writes 12): pad them.
  if (v[0].size() == 1) {
    for (std::size_t k = 1; k < 3; ++k) {
      if (static_cast<int64_t>(v[k].size()) == v[0][0] && v[k].size() < kCounts[k]) v[k].resize(kCounts[k], kUnset);
    }
  }
  return v;
}

Architecture EncoderSpace::from_values(std::string_view text, const Values& v) const {
  const std::array<std::string, 3> names{"num_layers", "num_attention_heads", family_.intermediate_key};
  for (std::size_t k = 0; k < 3; ++k) {
    if (v[k].size() != kCounts[k])
      fail(text, std::string(kBrief[k]) + " (" + names[k] + ") has " + std::to_string(v[k].size()) +
                     " values, expected " + std::to_string(kCounts[k]));
  }
  Architecture arch(kVariables, 0);
  if (v[0][0] == kUnset) fail(text, "l[0] is '-' but the depth is needed");
  const int d = choice_index(family_.depths, v[0][0]);
  if (d < 0) fail(text, "l = " + std::to_string(v[0][0]) + " is not one of " + braced_list(family_.depths));
  arch[kDepth] = d;
  const int used = depth(arch);
  auto pick = [&](std::size_t key, int i, int target, const auto& choices) {
    const int64_t value = v[key][i];
    const std::string at = std::string(kBrief[key]) + "[" + std::to_string(i) + "]";
    if (value == kUnset) {
      if (i < used) fail(text, at + " is '-' but layer " + std::to_string(i) + " is used (l = " + std::to_string(used) + ")");
      return;  // unused slot: canonical choice 0
    }
    const int choice = choice_index(choices, value);
    if (choice < 0) fail(text, at + " = " + std::to_string(value) + " is not one of " + braced_list(choices));
    arch[target] = choice;
  };
  for (int i = 0; i < kSlots; ++i) {
    pick(1, i, kHeads + i, kHeadChoices);
    pick(2, i, kIntermediate + i, kIntermediateChoices);
  }
  return canonicalize(arch);
}

}  // namespace nasctl::spaces::bert_vit
