// FBNet space: text forms. Canonical: the 22 op names separated by '|'.
// Foreign: HW-NAS-Bench's op_idx_list "[0, 3, 8, ...]" (its API's arch_index;
// the op indices are the choice indices) and arch_str "['k3_e1', ...]".
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "fbnet_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/text.hpp"

namespace nasctl::spaces::fbnet {

namespace {

std::string shorten(std::string_view text) {
  return text.size() <= 60 ? std::string(text) : std::string(text.substr(0, 57)) + "...";
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> items;
  for (std::size_t pos = 0;;) {
    const std::size_t end = text.find(sep, pos);
    if (end == std::string_view::npos) {
      items.push_back(trimmed(text.substr(pos)));
      return items;
    }
    items.push_back(trimmed(text.substr(pos, end - pos)));
    pos = end + 1;
  }
}

std::string valid_names() {
  std::string s;
  for (const Candidate& c : kCandidates) s += (s.empty() ? "" : ", ") + std::string(c.name);
  return s;
}

const char* const kForm =
    "22 op names separated by '|', e.g. 'k5_e6|skip|k3_e1_g2|...', or HW-NAS-Bench's op_idx_list "
    "'[0, 3, 8, ...]' (22 indices 0..8)";

int find_candidate(std::string_view name) {
  for (std::size_t i = 0; i < kCandidates.size(); ++i) {
    if (name == kCandidates[i].name) return static_cast<int>(i);
  }
  return -1;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) return s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

std::string FbnetSpace::to_string(const Architecture& arch) const {
  check(arch);
  std::string s;
  for (int i = 0; i < kBlocks; ++i) {
    if (i) s += '|';
    s += kCandidates[arch[i]].name;
  }
  return s;
}

Architecture FbnetSpace::parse(std::string_view text) const {
  const std::string where = "architecture '" + shorten(text) + "'";
  const std::string_view body = trimmed(text);
  if (body.empty()) throw ArchitectureError(where + ": is empty; fix: write " + kForm);
  const bool list = body.front() == '[';
  if (list && body.back() != ']')
    throw ArchitectureError(where + ": starts a list with '[' but does not end with ']'; fix: write " + kForm);
  std::vector<std::string_view> items = list ? split(body.substr(1, body.size() - 2), ',') : split(body, '|');
  if (list && items.size() == 1 && items[0].empty()) items.clear();
  if (items.size() != static_cast<std::size_t>(kBlocks))
    throw ArchitectureError(where + ": has " + std::to_string(items.size()) + " blocks; the FBNet space needs " +
                            std::to_string(kBlocks) + "; fix: write " + kForm);

  Architecture arch(kBlocks);
  for (int i = 0; i < kBlocks; ++i) {
    const std::string block = "block l" + std::to_string(i) + " (entry " + std::to_string(i + 1) + ")";
    const std::string_view item = list ? unquote(items[i]) : items[i];
    if (list && all_digits(item)) {
      const int index = item.size() > 3 ? 1000 : std::stoi(std::string(item));
      if (index >= static_cast<int>(kCandidates.size()))
        throw ArchitectureError(where + ": " + block + " has op index " + std::string(item) +
                                "; HW-NAS-Bench's op indices are 0..8 (" + valid_names() + ", in that order); fix: use 0..8");
      arch[i] = index;
      continue;
    }
    const int index = find_candidate(item);
    if (index < 0)
      throw ArchitectureError(where + ": " + block + " is '" + std::string(item) + "', not an FBNet operation; fix: use one of " +
                              valid_names());
    arch[i] = index;
  }
  return arch;
}

}  // namespace nasctl::spaces::fbnet
