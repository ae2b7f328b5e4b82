// Small text helpers for messages, reports and architecture strings, shared
// so that every plugin and toolkit words a list the same way and every space
// reads a number the same way.
#pragma once

#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace nasctl {

// "a, b, c" (or with another separator).
inline std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : separator) + item;
  return s;
}

// `s` without leading and trailing white space.
inline std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A whole decimal integer ("7", "+7", "-1"; no spaces, nothing after it)
// into `out`; false, leaving `out` unspecified, for anything else or a
// value out of T's range.
template <typename T>
bool parse_integer(std::string_view token, T& out) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  const char* end = token.data() + token.size();
  auto [ptr, ec] = std::from_chars(token.data(), end, out);
  return ec == std::errc() && ptr == end && !token.empty();
}

// Where a value read from an architecture string stands among a variable's
// choices; -1 when it is not one of them.
template <typename Numbers, typename Value>
int choice_index(const Numbers& choices, Value value) {
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == value) return static_cast<int>(i);
  }
  return -1;
}

// "{3, 5, 7}": a set of numbers as the spaces' messages show the choices.
template <typename Numbers>
std::string braced_list(const Numbers& values) {
  std::string s = "{";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + "}";
}

}  // namespace nasctl
