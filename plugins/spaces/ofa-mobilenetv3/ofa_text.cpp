// OFA MobileNetV3 text forms: the canonical "ks=...;e=...;d=...;r=..." and
// DyNAS-T's dict "{'wid': None, 'ks': [...], 'e': [...], 'd': [...], 'r': [224]}".
// Both parse to the same Values, which one function checks and converts, so
// the two forms cannot disagree on what is valid.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "nasctl/literal_cursor.hpp"
#include "nasctl/text.hpp"
#include "nasctl/error.hpp"
#include "ofa_mobilenetv3.hpp"

namespace nasctl::spaces::ofa_mobilenetv3 {

namespace {

// Writes arch[base .. base+count) as values, '-' for unused slots when asked.
void append_list(std::string& s, const Architecture& arch, int base, int count, const std::array<int, 3>& values,
                 const char* separator, bool dash_unused) {
  for (int i = 0; i < count; ++i) {
    if (i) s += separator;
    if (dash_unused && !OfaMobileNetV3::active(arch, i)) s += '-';
    else s += std::to_string(values[arch[base + i]]);
  }
}

}  // namespace

void OfaMobileNetV3::fail(std::string_view text, const std::string& what) const {
  std::string shown;
  for (char c : text.substr(0, 160)) shown += (c == '\n' || c == '\r') ? ' ' : c;
  if (text.size() > 160) shown += "...";
  throw ArchitectureError("architecture '" + shown + "': " + what +
                          "; expected 'ks=<20 of 3|5|7, - for unused slots>;e=<20 of 3|4|6, ->;d=<5 of 2|3|4>;r=<one of " +
                          braced_list(resolutions_) + ">' or DyNAS-T's \"{'ks': [20 ints], 'e': [20 ints], 'd': [5 ints], 'r': [" +
                          std::to_string(resolutions_.front()) + "]}\"");
}

std::string OfaMobileNetV3::to_string(const Architecture& arch) const {
  check(arch);
  std::string s;
  s.reserve(128);
  s += "ks=";
  append_list(s, arch, kKsBase, kSlots, kKernels, ",", true);
  s += ";e=";
  append_list(s, arch, kEBase, kSlots, kExpands, ",", true);
  s += ";d=";
  append_list(s, arch, kDBase, kStages, kDepths, ",", false);
  s += ";r=" + std::to_string(resolutions_[arch[kRIndex]]);
  return s;
}

std::string OfaMobileNetV3::to_dynast(const Architecture& arch) const {
  const Architecture canonical = canonicalize(arch);
  std::string s = "{'wid': None, 'ks': [";
  append_list(s, canonical, kKsBase, kSlots, kKernels, ", ", false);
  s += "], 'e': [";
  append_list(s, canonical, kEBase, kSlots, kExpands, ", ", false);
  s += "], 'd': [";
  append_list(s, canonical, kDBase, kStages, kDepths, ", ", false);
  s += "], 'r': [" + std::to_string(resolutions_[canonical[kRIndex]]) + "]}";
  return s;
}

Architecture OfaMobileNetV3::parse(std::string_view text) const {
  const std::string_view body = trimmed(text);
  if (body.empty()) fail(text, "is empty");
  const Values values = body.front() == '{' ? parse_dynast(text) : parse_canonical(text);
  return from_values(text, values);
}

OfaMobileNetV3::Values OfaMobileNetV3::parse_canonical(std::string_view text) const {
  Values v;
  bool seen[4] = {false, false, false, false};
  std::string_view rest = trimmed(text);
  while (true) {
    const std::size_t semi = std::min(rest.find(';'), rest.size());
    const std::string_view item = trimmed(rest.substr(0, semi));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) fail(text, "'" + std::string(item) + "' is not of the form name=values");
    const std::string name(trimmed(item.substr(0, eq)));
    const int which = name == "ks" ? 0 : name == "e" ? 1 : name == "d" ? 2 : name == "r" ? 3 : -1;
    if (which < 0) fail(text, "unknown key '" + name + "' (the keys are ks, e, d, r)");
    if (seen[which]) fail(text, "key '" + name + "' is given twice");
    seen[which] = true;
    std::vector<int>& out = which == 0 ? v.ks : which == 1 ? v.e : which == 2 ? v.d : v.r;
    std::string_view list = trimmed(item.substr(eq + 1));
    for (int i = 0; !list.empty(); ++i) {
      const std::size_t comma = std::min(list.find(','), list.size());
      const std::string_view token = trimmed(list.substr(0, comma));
      int value = kUnset;
      const bool dash = token == "-";
      if (dash && which > 1) fail(text, name + "[" + std::to_string(i) + "] is '-'; only unused ks/e slots may be '-'");
      if (!dash && !parse_integer(token, value))
        fail(text, name + "[" + std::to_string(i) + "] = '" + std::string(token) + "' is not an integer");
      out.push_back(value);
      if (comma == list.size()) break;
      list = list.substr(comma + 1);
      if (trimmed(list).empty()) fail(text, "'" + name + "' ends with a comma");
    }
    if (semi == rest.size()) break;
    rest = rest.substr(semi + 1);
  }
  const char* names[4] = {"ks", "e", "d", "r"};
  for (int i = 0; i < 4; ++i) {
    if (!seen[i]) fail(text, std::string("missing '") + names[i] + "='");
  }
  return v;
}

// DyNAS-T's dict text is a Python literal: LiteralCursor reads it.
using DictReader = LiteralCursor;

OfaMobileNetV3::Values OfaMobileNetV3::parse_dynast(std::string_view text) const {
  DictReader in{text};
  Values v;
  bool seen[5] = {false, false, false, false, false};  // ks e d r wid
  if (!in.take('{')) fail(text, "expected '{' " + in.where());
  bool closed = in.take('}');
  while (!closed) {
    in.skip();
    const char quote = in.pos < text.size() ? text[in.pos] : '\0';
    if (quote != '\'' && quote != '"') fail(text, "expected a quoted key " + in.where());
    const std::size_t end = text.find(quote, in.pos + 1);
    if (end == std::string_view::npos) fail(text, "unterminated key " + in.where());
    const std::string key(text.substr(in.pos + 1, end - in.pos - 1));
    in.pos = end + 1;
    const int which = key == "ks" ? 0 : key == "e" ? 1 : key == "d" ? 2 : key == "r" ? 3 : key == "wid" ? 4 : -1;
    if (which < 0) fail(text, "unknown key '" + key + "' (the keys are wid, ks, e, d, r)");
    if (seen[which]) fail(text, "key '" + key + "' is given twice");
    seen[which] = true;
    if (!in.take(':')) fail(text, "expected ':' after '" + key + "' " + in.where());
    in.skip();

    if (text.substr(in.pos, 4) == "None") {
      if (which != 4) fail(text, "'" + key + "' is None; it must be a list of integers");
      in.pos += 4;
    } else if (which == 4) {
      fail(text, "'wid' must be None (the width multiplier is the space's 'width' config key)");
    } else {
      std::vector<int>& out = which == 0 ? v.ks : which == 1 ? v.e : which == 2 ? v.d : v.r;
      // 'r' may be a bare integer; everything else is a list.
      const bool list = in.take('[');
      if (!list && which != 3) fail(text, "'" + key + "' must be a list of integers " + in.where());
      bool done = list && in.take(']');
      while (!done) {
        in.skip();
        std::size_t stop = in.pos;
        while (stop < text.size() && (std::isalnum(static_cast<unsigned char>(text[stop])) || text[stop] == '-' ||
                                      text[stop] == '+' || text[stop] == '.'))
          ++stop;
        int value = 0;
        const std::string_view token = text.substr(in.pos, stop - in.pos);
        if (!parse_integer(token, value))
          fail(text, "'" + key + "'[" + std::to_string(out.size()) + "] = '" + std::string(token) +
                         "' is not an integer " + in.where());
        out.push_back(value);
        in.pos = stop;
        if (!list || in.take(']')) break;
        if (!in.take(',')) fail(text, "expected ',' or ']' in '" + key + "' " + in.where());
      }
    }
    if (in.take('}')) break;
    if (!in.take(',')) fail(text, "expected ',' or '}' after '" + key + "' " + in.where());
    closed = in.take('}');  // Python allows a trailing comma
  }
  if (!in.at_end()) fail(text, "unexpected text after the closing '}' " + in.where());
  const char* names[4] = {"ks", "e", "d", "r"};
  for (int i = 0; i < 4; ++i) {
    // DyNAS-T always writes 'r'; without it only a one-resolution space knows what is meant.
    if (i == 3 && !seen[3] && resolutions_.size() == 1) {
      v.r = {static_cast<int>(resolutions_.front())};
      continue;
    }
    if (!seen[i]) fail(text, std::string("missing key '") + names[i] + "'");
  }
  return v;
}

Architecture OfaMobileNetV3::from_values(std::string_view text, const Values& v) const {
  auto count = [&](const std::vector<int>& list, const char* name, std::size_t expected) {
    if (list.size() != expected)
      fail(text, std::string(name) + " has " + std::to_string(list.size()) + " values, expected " +
                     std::to_string(expected));
  };
  count(v.ks, "ks", kSlots);
  count(v.e, "e", kSlots);
  count(v.d, "d", kStages);
  count(v.r, "r", 1);

  Architecture arch(kVariables, 0);
  for (int s = 0; s < kStages; ++s) {
    const int choice = choice_index(kDepths, v.d[s]);
    if (choice < 0)
      fail(text, "d[" + std::to_string(s) + "] = " + std::to_string(v.d[s]) + " is not one of " + braced_list(kDepths));
    arch[kDBase + s] = choice;
  }
  const int r = choice_index(resolutions_, v.r[0]);
  if (r < 0)
    fail(text, "r = " + std::to_string(v.r[0]) + " is not one of this space's resolutions " + braced_list(resolutions_) +
                   " (config key 'resolutions')");
  arch[kRIndex] = r;

  auto slots = [&](const std::vector<int>& list, const char* name, int base, const std::array<int, 3>& choices) {
    for (int slot = 0; slot < kSlots; ++slot) {
      const std::string at = std::string(name) + "[" + std::to_string(slot) + "]";
      if (list[slot] == kUnset) {
        if (active(arch, slot))
          fail(text, at + " is '-' but slot " + std::to_string(slot) + " is used (d[" +
                         std::to_string(slot / kSlotsPerStage) + "] = " +
                         std::to_string(depth(arch, slot / kSlotsPerStage)) + ")");
        continue;  // unused slot: canonical choice 0
      }
      const int choice = choice_index(choices, list[slot]);
      if (choice < 0) fail(text, at + " = " + std::to_string(list[slot]) + " is not one of " + braced_list(choices));
      arch[base + slot] = choice;
    }
  };
  slots(v.ks, "ks", kKsBase, kKernels);
  slots(v.e, "e", kEBase, kExpands);
  return canonicalize(arch);
}

}  // namespace nasctl::spaces::ofa_mobilenetv3
