// OFA ResNet50 text forms: the canonical "d=...;e=...;w=...;r=..." and
// DyNAS-T's dict "{'d': [...], 'e': [...], 'w': [...], 'r': [224]}". Both
// parse to the same Values, which one function checks and converts, so the
// two forms cannot disagree on what is valid.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "nasctl/literal_cursor.hpp"
#include "nasctl/text.hpp"
#include "nasctl/error.hpp"
#include "ofa_resnet50.hpp"

namespace nasctl::spaces::ofa_resnet50 {

namespace {

// An expand ratio as written ("0.25", ".2", "0.350") in hundredths; false
// when it is not a number or not a whole number of hundredths.
bool to_percent(std::string_view token, int& out) {
  if (token.empty() || token.size() > 32) return false;
  const std::string s(token);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || std::abs(v) > 1e6) return false;
  const double hundredths = v * 100.0;
  const double rounded = std::round(hundredths);
  if (std::abs(hundredths - rounded) > 1e-6 || rounded < 0 || rounded > 100000) {
    out = -1;  // a number, but none of the choices; the caller names it
    return true;
  }
  out = static_cast<int>(rounded);
  return true;
}

std::string percent_text(int p) {
  std::string s = std::to_string(p / 100) + "." + (p % 100 < 10 ? "0" : "") + std::to_string(p % 100);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s += '0';
  return s;
}

std::string percent_set_text() {
  std::string s = "{";
  for (std::size_t i = 0; i < OfaResNet50::kExpandPercents.size(); ++i)
    s += (i ? ", " : "") + percent_text(OfaResNet50::kExpandPercents[i]);
  return s + "}";
}

// e values of arch (canonical), '-' for unused slots when asked.
void append_e(std::string& s, const Architecture& arch, const char* separator, bool dash_unused) {
  for (int i = 0; i < OfaResNet50::kBlocks; ++i) {
    if (i) s += separator;
    if (dash_unused && !OfaResNet50::active(arch, i)) s += '-';
    else s += percent_text(OfaResNet50::kExpandPercents[arch[OfaResNet50::kEBase + i]]);
  }
}

void append_ints(std::string& s, const Architecture& arch, int base, int count, const char* separator) {
  for (int i = 0; i < count; ++i) {
    if (i) s += separator;
    s += std::to_string(arch[base + i]);  // d and w: the value is the choice index
  }
}

}  // namespace

void OfaResNet50::fail(std::string_view text, const std::string& what) const {
  std::string shown;
  for (char c : text.substr(0, 160)) shown += (c == '\n' || c == '\r') ? ' ' : c;
  if (text.size() > 160) shown += "...";
  throw ArchitectureError("architecture '" + shown + "': " + what +
                          "; expected 'd=<5 of 0|1|2>;e=<18 of 0.2|0.25|0.35, - for unused slots>;w=<6 of 0|1|2>;r=<one "
                          "of " + braced_list(resolutions_) + ">' or DyNAS-T's \"{'d': [5 ints], 'e': [18 floats], 'w': [6 "
                          "ints], 'r': [" + std::to_string(resolutions_.front()) + "]}\"");
}

std::string OfaResNet50::to_string(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  std::string s;
  s.reserve(160);
  s += "d=";
  append_ints(s, c, kDBase, kDepthVars, ",");
  s += ";e=";
  append_e(s, c, ",", true);
  s += ";w=";
  append_ints(s, c, kWBase, kWidthVars, ",");
  s += ";r=" + std::to_string(resolutions_[c[kRIndex]]);
  return s;
}

std::string OfaResNet50::to_dynast(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  std::string s = "{'d': [";
  append_ints(s, c, kDBase, kDepthVars, ", ");
  s += "], 'e': [";
  append_e(s, c, ", ", false);
  s += "], 'w': [";
  append_ints(s, c, kWBase, kWidthVars, ", ");
  s += "], 'r': [" + std::to_string(resolutions_[c[kRIndex]]) + "]}";
  return s;
}

Architecture OfaResNet50::parse(std::string_view text) const {
  const std::string_view body = trimmed(text);
  if (body.empty()) fail(text, "is empty");
  const Values values = body.front() == '{' ? parse_dynast(text) : parse_canonical(text);
  return from_values(text, values);
}

OfaResNet50::Values OfaResNet50::parse_canonical(std::string_view text) const {
  Values v;
  bool seen[4] = {false, false, false, false};
  std::string_view rest = trimmed(text);
  while (true) {
    const std::size_t semi = std::min(rest.find(';'), rest.size());
    const std::string_view item = trimmed(rest.substr(0, semi));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) fail(text, "'" + std::string(item) + "' is not of the form name=values");
    const std::string name(trimmed(item.substr(0, eq)));
    const int which = name == "d" ? 0 : name == "e" ? 1 : name == "w" ? 2 : name == "r" ? 3 : -1;
    if (which < 0) fail(text, "unknown key '" + name + "' (the keys are d, e, w, r)");
    if (seen[which]) fail(text, "key '" + name + "' is given twice");
    seen[which] = true;
    std::vector<int>& out = which == 0 ? v.d : which == 1 ? v.e : which == 2 ? v.w : v.r;
    std::string_view list = trimmed(item.substr(eq + 1));
    for (int i = 0; !list.empty(); ++i) {
      const std::size_t comma = std::min(list.find(','), list.size());
      const std::string_view token = trimmed(list.substr(0, comma));
      const std::string at = name + "[" + std::to_string(i) + "]";
      int value = kUnset;
      if (token == "-") {
        if (which != 1) fail(text, at + " is '-'; only unused e slots may be '-'");
      } else if (which == 1) {
        if (!to_percent(token, value)) fail(text, at + " = '" + std::string(token) + "' is not a number");
        if (value < 0) fail(text, at + " = " + std::string(token) + " is not one of " + percent_set_text());
      } else if (!parse_integer(token, value)) {
        fail(text, at + " = '" + std::string(token) + "' is not an integer");
      }
      out.push_back(value);
      if (comma == list.size()) break;
      list = list.substr(comma + 1);
      if (trimmed(list).empty()) fail(text, "'" + name + "' ends with a comma");
    }
    if (semi == rest.size()) break;
    rest = rest.substr(semi + 1);
  }
  const char* names[4] = {"d", "e", "w", "r"};
  for (int i = 0; i < 4; ++i) {
    if (!seen[i]) fail(text, std::string("missing '") + names[i] + "='");
  }
  return v;
}

// DyNAS-T's dict text is a Python literal: LiteralCursor reads it.
using DictReader = LiteralCursor;

OfaResNet50::Values OfaResNet50::parse_dynast(std::string_view text) const {
  DictReader in{text};
  Values v;
  bool seen[4] = {false, false, false, false};  // d e w r
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
    const int which = key == "d" ? 0 : key == "e" ? 1 : key == "w" ? 2 : key == "r" ? 3 : -1;
    if (which < 0) fail(text, "unknown key '" + key + "' (the keys are d, e, w, r)");
    if (seen[which]) fail(text, "key '" + key + "' is given twice");
    seen[which] = true;
    if (!in.take(':')) fail(text, "expected ':' after '" + key + "' " + in.where());

    std::vector<int>& out = which == 0 ? v.d : which == 1 ? v.e : which == 2 ? v.w : v.r;
    // 'r' may be a bare integer; everything else is a list.
    const bool list = in.take('[');
    if (!list && which != 3) fail(text, "'" + key + "' must be a list " + in.where());
    bool done = list && in.take(']');
    while (!done) {
      in.skip();
      std::size_t stop = in.pos;
      while (stop < text.size() && (std::isalnum(static_cast<unsigned char>(text[stop])) || text[stop] == '-' ||
                                    text[stop] == '+' || text[stop] == '.'))
        ++stop;
      const std::string_view token = text.substr(in.pos, stop - in.pos);
      const std::string at = "'" + key + "'[" + std::to_string(out.size()) + "]";
      int value = 0;
      if (which == 1) {
        if (!to_percent(token, value)) fail(text, at + " = '" + std::string(token) + "' is not a number " + in.where());
        if (value < 0) fail(text, at + " = " + std::string(token) + " is not one of " + percent_set_text());
      } else if (!parse_integer(token, value)) {
        fail(text, at + " = '" + std::string(token) + "' is not an integer " + in.where());
      }
      out.push_back(value);
      in.pos = stop;
      if (!list || in.take(']')) break;
      if (!in.take(',')) fail(text, "expected ',' or ']' in '" + key + "' " + in.where());
    }
    if (in.take('}')) break;
    if (!in.take(',')) fail(text, "expected ',' or '}' after '" + key + "' " + in.where());
    closed = in.take('}');  // Python allows a trailing comma
  }
  if (!in.at_end()) fail(text, "unexpected text after the closing '}' " + in.where());
  const char* names[4] = {"d", "e", "w", "r"};
  for (int i = 0; i < 4; ++i) {
    // DyNAS-T writes 'r'; without it only a one-resolution space knows what is meant.
    if (i == 3 && !seen[3] && resolutions_.size() == 1) {
      v.r = {static_cast<int>(resolutions_.front())};
      continue;
    }
    if (!seen[i]) fail(text, std::string("missing key '") + names[i] + "'");
  }
  return v;
}

Architecture OfaResNet50::from_values(std::string_view text, const Values& v) const {
  auto count = [&](const std::vector<int>& list, const char* name, std::size_t expected) {
    if (list.size() != expected)
      fail(text, std::string(name) + " has " + std::to_string(list.size()) + " values, expected " +
                     std::to_string(expected));
  };
  count(v.d, "d", kDepthVars);
  count(v.e, "e", kBlocks);
  count(v.w, "w", kWidthVars);
  count(v.r, "r", 1);

  Architecture arch(kVariables, 0);
  for (int i = 0; i < kDepthVars; ++i) {
    const int choice = choice_index(kDepths, v.d[i]);
    if (choice < 0)
      fail(text, "d[" + std::to_string(i) + "] = " + std::to_string(v.d[i]) + " is not one of " + braced_list(kDepths));
    arch[kDBase + i] = choice;
  }
  for (int i = 0; i < kWidthVars; ++i) {
    if (v.w[i] < 0 || v.w[i] > 2)
      fail(text, "w[" + std::to_string(i) + "] = " + std::to_string(v.w[i]) +
                     " is not one of {0, 1, 2} (indices into the width multipliers 0.65, 0.8, 1.0)");
    arch[kWBase + i] = v.w[i];
  }
  const int r = choice_index(resolutions_, v.r[0]);
  if (r < 0)
    fail(text, "r = " + std::to_string(v.r[0]) + " is not one of this space's resolutions " + braced_list(resolutions_) +
                   " (config key 'resolutions')");
  arch[kRIndex] = r;

  for (int slot = 0; slot < kBlocks; ++slot) {
    const std::string at = "e[" + std::to_string(slot) + "]";
    if (v.e[slot] == kUnset) {
      if (active(arch, slot)) {
        const int s = stage_of(slot);
        fail(text, at + " is '-' but slot " + std::to_string(slot) + " is used (stage " + std::to_string(s + 1) +
                       " has " + std::to_string(depth(arch, s)) + " blocks, d[" + std::to_string(s + 1) +
                       "] = " + std::to_string(kDepths[arch[kDBase + 1 + s]]) + ")");
      }
      continue;  // unused slot: canonical choice 0
    }
    const int choice = choice_index(kExpandPercents, v.e[slot]);
    if (choice < 0)
      fail(text, at + " = " + percent_text(v.e[slot]) + " is not one of " + percent_set_text());
    arch[kEBase + slot] = choice;
  }
  return canonicalize(arch);
}

}  // namespace nasctl::spaces::ofa_resnet50
