// Architecture strings made of integer lists by key, as the Transformer
// spaces (transformer-lt, bert-base, vit-base) write them: the canonical
// "key=v,v,-;key=v" ('-' for a slot the network does not use) and
// DyNAS-T's Python dict "{'name': [v, v], 'name': v}". The readers check the
// syntax and the keys (unknown, repeated, missing) and throw
// KeyedListError; the space checks the counts and values and words the
// error as its own ("<space> architecture '...': <what>; fix: ...").
#pragma once

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/literal_cursor.hpp"
#include "nasctl/text.hpp"

namespace nasctl {

struct ListKey {
  std::string brief;   // canonical form's key, e.g. "ef"
  std::string dynast;  // DyNAS-T's dict key, e.g. "encoder_ffn_embed_dim"
  std::size_t count;   // values the space expects; more than 1: a list in DyNAS-T's form
};

// The values read per key, in the order of the keys given.
using KeyedLists = std::vector<std::vector<int64_t>>;

struct KeyedListError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace detail {

inline std::size_t key_index(const std::vector<ListKey>& keys, const std::string& key, bool dynast) {
  std::size_t k = 0;
  while (k < keys.size() && key != (dynast ? keys[k].dynast : keys[k].brief)) ++k;
  if (k == keys.size()) {
    std::vector<std::string> names;
    for (const ListKey& known : keys) names.push_back(dynast ? known.dynast : known.brief);
    throw KeyedListError("unknown key '" + key + "' (" + (dynast ? "DyNAS-T's keys are " : "the keys are ") +
                         joined(names) + ")");
  }
  return k;
}

inline void check_all_seen(const std::vector<ListKey>& keys, const std::vector<bool>& seen, bool dynast) {
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (!seen[k]) throw KeyedListError("missing key '" + (dynast ? keys[k].dynast : keys[k].brief) + "'");
  }
}

}  // namespace detail

// "key=v,v,-;key=v": every key once, in any order; '-' reads as `unset`.
inline KeyedLists read_keyed_lists(std::string_view text, const std::vector<ListKey>& keys, int64_t unset) {
  KeyedLists v(keys.size());
  std::vector<bool> seen(keys.size());
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    const std::string_view part = trimmed(text.substr(start, end - start));
    start = end + 1;
    if (part.empty()) {
      if (end == text.size()) break;
      throw KeyedListError("has an empty ';'-separated part");
    }
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) throw KeyedListError("part '" + std::string(part) + "' is not key=values");
    const std::string key(trimmed(part.substr(0, eq)));
    const std::size_t k = detail::key_index(keys, key, false);
    if (seen[k]) throw KeyedListError("key '" + key + "' is given twice");
    seen[k] = true;
    std::string_view values = part.substr(eq + 1);
    while (true) {
      const std::size_t comma = std::min(values.find(','), values.size());
      const std::string_view token = trimmed(values.substr(0, comma));
      int64_t value = 0;
      if (token == "-") {
        value = unset;
      } else if (!parse_integer(token, value)) {
        throw KeyedListError(key + "[" + std::to_string(v[k].size()) + "] = '" + std::string(token) +
                             "' is not an integer");
      }
      v[k].push_back(value);
      if (comma == values.size()) break;
      values.remove_prefix(comma + 1);
    }
    if (end == text.size()) break;
  }
  detail::check_all_seen(keys, seen, false);
  return v;
}

// DyNAS-T's dict: quoted keys (either quote), each once; a key of count 1
// may be a bare number, the others must be lists; a trailing comma is fine
// (Python allows it).
inline KeyedLists read_dynast_dict(std::string_view text, const std::vector<ListKey>& keys) {
  KeyedLists v(keys.size());
  std::vector<bool> seen(keys.size());
  LiteralCursor in{text};
  if (!in.take('{')) throw KeyedListError("expected '{'");
  bool closed = in.take('}');
  while (!closed) {
    in.skip();
    if (in.pos >= text.size() || (text[in.pos] != '\'' && text[in.pos] != '"'))
      throw KeyedListError("expected a quoted key " + in.where());
    const char quote = text[in.pos];
    const std::size_t end = text.find(quote, in.pos + 1);
    if (end == std::string_view::npos) throw KeyedListError("unterminated key " + in.where());
    const std::string key(text.substr(in.pos + 1, end - in.pos - 1));
    in.pos = end + 1;
    const std::size_t k = detail::key_index(keys, key, true);
    if (seen[k]) throw KeyedListError("key '" + key + "' is given twice");
    seen[k] = true;
    if (!in.take(':')) throw KeyedListError("expected ':' after '" + key + "' " + in.where());
    const bool list = in.take('[');
    if (!list && keys[k].count != 1) throw KeyedListError("'" + key + "' must be a list " + in.where());
    bool done = list && in.take(']');
    while (!done) {
      in.skip();
      std::size_t stop = in.pos;
      while (stop < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[stop])) || text[stop] == '-' || text[stop] == '+'))
        ++stop;
      const std::string_view token = text.substr(in.pos, stop - in.pos);
      int64_t value = 0;
      if (!parse_integer(token, value))
        throw KeyedListError("'" + key + "'[" + std::to_string(v[k].size()) + "] = '" + std::string(token) +
                             "' is not an integer " + in.where());
      v[k].push_back(value);
      in.pos = stop;
      if (!list || in.take(']')) break;
      if (!in.take(',')) throw KeyedListError("expected ',' or ']' in '" + key + "' " + in.where());
    }
    if (in.take('}')) break;
    if (!in.take(',')) throw KeyedListError("expected ',' or '}' after '" + key + "' " + in.where());
    closed = in.take('}');
  }
  if (!in.at_end()) throw KeyedListError("unexpected text after the closing '}' " + in.where());
  detail::check_all_seen(keys, seen, true);
  return v;
}

}  // namespace nasctl
