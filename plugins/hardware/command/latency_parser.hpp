// Finding the latency in a benchmark's standard output: the first capture
// group of a regular expression (ECMAScript syntax, first match in the
// output), or a number at a dotted key path of JSON output ("stats.mean_ms",
// array elements by index: "runs.0.ms"). JSON output may be the whole of
// stdout or its last non-empty line (tools often log before printing JSON).
#pragma once

#include <optional>
#include <regex>
#include <string>

namespace nasctl::hardware::command {

class LatencyParser {
 public:
  // Throws std::regex_error for a malformed pattern and
  // std::invalid_argument for one without a capture group; the plugin
  // reports both against its `regex` key.
  static LatencyParser from_regex(const std::string& pattern);
  static LatencyParser from_json_key(const std::string& dotted_key);

  // The number found, or nullopt with `why` saying what was missing.
  std::optional<double> parse(const std::string& output, std::string& why) const;
  std::string describe() const;  // "regex '...'" or "json key '...'"

 private:
  std::string pattern_;
  std::optional<std::regex> regex_;
  std::string json_key_;
};

}  // namespace nasctl::hardware::command
