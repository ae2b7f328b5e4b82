// NAS-Bench-201's cell string "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|": one
// '+'-separated group per node 1..3, each edge "|op~source|". to_string()
// writes it; parse() reads it (a node's edges in any order, every source
// once) or falls back to the generic "1<-0=op;2<-0=op;..." form.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "nasbench201_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/text.hpp"

namespace nasctl::spaces::nasbench201 {

namespace {

constexpr const char* kExample = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|";

std::string op_list() {
  std::string s;
  for (const char* name : kOpNames) s += (s.empty() ? "" : ", ") + std::string(name);
  return s;
}

}  // namespace

void NasBench201::fail(std::string_view text, const std::string& what) const {
  std::string shown;
  for (char c : text.substr(0, 160)) shown += (c == '\n' || c == '\r') ? ' ' : c;
  if (text.size() > 160) shown += "...";
  throw ArchitectureError("architecture '" + shown + "': " + what + "; expected NAS-Bench-201's form '" + kExample +
                          "' (node 1, 2, 3 with 1, 2, 3 edges 'op~source') or '1<-0=<op>;2<-0=<op>;2<-1=<op>;3<-0=<op>;"
                          "3<-1=<op>;3<-2=<op>'");
}

std::string NasBench201::to_string(const Architecture& arch) const {
  check(arch);
  std::string s;
  s.reserve(96);
  for (int to = 1; to < kCellNodes; ++to) {
    if (to > 1) s += '+';
    for (int from = 0; from < to; ++from) {
      s += '|';
      s += kOpNames[arch[edge_index(to, from)]];
      s += '~';
      s += static_cast<char>('0' + from);
    }
    s += '|';
  }
  return s;
}

Architecture NasBench201::parse(std::string_view text) const {
  const std::string_view t = trimmed(text);
  if (t.empty()) fail(text, "is empty");
  if (t.front() != '|') {
    if (t.find('=') == std::string_view::npos)
      fail(text, "is neither NAS-Bench-201's '|op~source|+...' form nor 'edge=op;...'");
    return SearchSpace::parse(t);  // canonicalizes
  }
  return canonicalize(parse_cell_string(t));
}

Architecture NasBench201::parse_cell_string(std::string_view text) const {
  Architecture arch(kCellEdges, -1);
  std::size_t pos = 0;
  for (int to = 1; to < kCellNodes; ++to) {
    const std::size_t plus = text.find('+', pos);
    const std::size_t end = plus == std::string_view::npos ? text.size() : plus;
    if (pos > text.size() || (to < kCellNodes - 1 && plus == std::string_view::npos)) {
      const int groups = static_cast<int>(std::count(text.begin(), text.end(), '+')) + 1;
      fail(text, "has " + std::to_string(groups) + " node group(s); expected 3 ('+'-separated: nodes 1, 2, 3)");
    }
    const std::string_view group = text.substr(pos, end - pos);
    const std::string node = "node " + std::to_string(to);
    if (group.size() < 2 || group.front() != '|' || group.back() != '|')
      fail(text, node + "'s group '" + std::string(group) + "' must start and end with '|'");
    std::string_view inner = group.substr(1, group.size() - 2);
    int edges = 0;
    while (true) {
      const std::size_t bar = inner.find('|');
      const std::string_view edge = inner.substr(0, bar);
      ++edges;
      if (edges > to)
        fail(text, node + " has more than " + std::to_string(to) + " edge(s); expected one from each of nodes 0.." +
                       std::to_string(to - 1));
      const std::size_t tilde = edge.find('~');
      if (tilde == std::string_view::npos)
        fail(text, node + "'s edge '" + std::string(edge) + "' is not of the form 'op~source'");
      const std::string_view name = edge.substr(0, tilde);
      const std::string_view source_text = edge.substr(tilde + 1);
      int source = -1;
      const auto [ptr, ec] = std::from_chars(source_text.data(), source_text.data() + source_text.size(), source);
      if (ec != std::errc() || ptr != source_text.data() + source_text.size() || source_text.empty())
        fail(text, node + "'s edge '" + std::string(edge) + "' has source '" + std::string(source_text) +
                       "', not a node number");
      if (source < 0 || source >= to)
        fail(text, node + "'s edge '" + std::string(edge) + "' reads node " + std::to_string(source) + "; " + node +
                       " reads nodes 0.." + std::to_string(to - 1));
      const auto op = std::find(kOpNames.begin(), kOpNames.end(), name);
      if (op == kOpNames.end())
        fail(text, "unknown op '" + std::string(name) + "' on " + node + "'s edge '" + std::string(edge) +
                       "'; valid ops: " + op_list());
      int& slot = arch[edge_index(to, source)];
      if (slot >= 0) fail(text, node + " lists source " + std::to_string(source) + " twice");
      slot = static_cast<int>(op - kOpNames.begin());
      if (bar == std::string_view::npos) break;
      inner.remove_prefix(bar + 1);
    }
    if (edges < to)
      fail(text, node + " has " + std::to_string(edges) + " edge(s); expected " + std::to_string(to) +
                     ", one from each of nodes 0.." + std::to_string(to - 1));
    pos = end + 1;
  }
  if (pos <= text.size())
    fail(text, "has " + std::to_string(std::count(text.begin(), text.end(), '+') + 1) +
                   " node groups; expected 3 ('+'-separated: nodes 1, 2, 3)");
  return arch;
}

}  // namespace nasctl::spaces::nasbench201
