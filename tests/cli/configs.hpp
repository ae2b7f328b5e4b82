// Configs the CLI tests run: the OFA MobileNetV3 space with the analytic
// hardware model only, so a search of a few hundred evaluations takes well
// under a second and is exactly reproducible.
#pragma once

#include <string>
#include <vector>

#include "nasctl/csv.hpp"

namespace nasctl::test {

// Line numbers matter: error tests point into this text.
inline const std::string kAnalyticConfig = R"(seed = 7
out = "runs/unused"

[space]
plugin = "ofa-mobilenetv3"

[search]
plugin = "nsga2"
population = 8

[budget]
evaluations = 40

[run]
threads = 2

[[hardware]]
name = "cost"
plugin = "analytic"

[[objectives]]
metric = "cost.macs"
goal = "min"

[[objectives]]
metric = "cost.params"
goal = "max"
)";

// kAnalyticConfig with the first occurrence of `from` replaced by `to`.
inline std::string config_with(const std::string& from, const std::string& to) {
  std::string text = kAnalyticConfig;
  const auto pos = text.find(from);
  if (pos == std::string::npos) throw std::logic_error("config_with: '" + from + "' not in the config");
  return text.replace(pos, from.size(), to);
}

// A CSV's rows without the timing column (which differs run to run).
inline std::vector<std::vector<std::string>> rows_without_timing(const std::string& path) {
  CsvTable t = read_csv(path);
  const std::size_t timing = t.column("eval_seconds");
  std::vector<std::vector<std::string>> rows{t.header};
  for (auto row : t.rows) rows.push_back(row);
  for (auto& row : rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(timing));
  return rows;
}

// The smallest sub-network (every choice the first), canonical and DyNAS-T forms.
inline const std::string kSmallestCanonical =
    "ks=3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-;e=3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-,3,3,-,-;d=2,2,2,2,2;r=224";
inline const std::string kSmallestDynast =
    "{'wid': None, 'ks': [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], "
    "'e': [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'd': [2, 2, 2, 2, 2], 'r': [224]}";
// The first row of data/ofa_mbv3_w10_imagenet/mbnv3w10_evoga_acc.csv:
// DyNAS-T measured 5,029,656 parameters and 255,502,624 MACs for it.
inline const std::string kEvogaFirstRow =
    "{'wid': None, 'ks': [5, 7, 5, 5, 3, 3, 3, 7, 5, 5, 3, 7, 7, 3, 3, 3, 5, 5, 5, 5], "
    "'e': [4, 3, 4, 4, 4, 6, 3, 4, 4, 3, 4, 3, 3, 6, 6, 6, 4, 3, 4, 4], 'd': [2, 3, 2, 4, 3], 'r': [224]}";

}  // namespace nasctl::test
