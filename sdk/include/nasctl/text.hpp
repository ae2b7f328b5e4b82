// Small text helpers for messages and reports, shared so that every plugin
// and toolkit words a list the same way.
#pragma once

#include <string>
#include <vector>

namespace nasctl {

// "a, b, c" (or with another separator).
inline std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : separator) + item;
  return s;
}

}  // namespace nasctl
