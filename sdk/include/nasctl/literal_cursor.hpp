// LiteralCursor: a cursor over a Python literal such as DyNAS-T's sub-network
// dict (`{'ks': [3, 5], 'r': 224}`), for spaces that accept those strings.
// It skips white space and reports positions for error messages; the
// space reads keys and values with it.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace nasctl {

struct LiteralCursor {
  std::string_view s;
  std::size_t pos = 0;

  void skip() {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
  }
  // Consumes c (after white space) if it is next.
  bool take(char c) {
    skip();
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
  }
  bool at_end() {
    skip();
    return pos >= s.size();
  }
  std::string where() const { return "at character " + std::to_string(pos + 1); }
};

}  // namespace nasctl
