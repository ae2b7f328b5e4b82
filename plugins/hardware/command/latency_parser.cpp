#include "latency_parser.hpp"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace nasctl::hardware::command {

namespace {

std::optional<double> to_number(const std::string& text) {
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  while (*end == ' ' || *end == '\t') ++end;
  if (*end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<nlohmann::json> parse_json(const std::string& output) {
  auto document = nlohmann::json::parse(output, nullptr, false);
  if (!document.is_discarded()) return document;
  std::size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return std::nullopt;
  const std::size_t begin = output.rfind('\n', end);
  const std::string last = output.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin == std::string::npos ? 0 : begin + 1));
  document = nlohmann::json::parse(last, nullptr, false);
  if (document.is_discarded()) return std::nullopt;
  return document;
}

}  // namespace

LatencyParser LatencyParser::from_regex(const std::string& pattern) {
  LatencyParser p;
  p.pattern_ = pattern;
  p.regex_.emplace(pattern, std::regex::ECMAScript);
  if (p.regex_->mark_count() < 1) throw std::invalid_argument("has no capture group");
  return p;
}

LatencyParser LatencyParser::from_json_key(const std::string& dotted_key) {
  LatencyParser p;
  p.json_key_ = dotted_key;
  return p;
}

std::string LatencyParser::describe() const {
  return regex_ ? "regex '" + pattern_ + "'" : "json key '" + json_key_ + "'";
}

std::optional<double> LatencyParser::parse(const std::string& output, std::string& why) const {
  if (regex_) {
    std::smatch match;
    if (!std::regex_search(output, match, *regex_)) {
      why = "no match of regex '" + pattern_ + "' in the output";
      return std::nullopt;
    }
    const std::string captured = match[1].str();
    const auto value = to_number(captured);
    if (!value) why = "regex '" + pattern_ + "' captured '" + captured + "', which is not a number";
    return value;
  }
  const auto document = parse_json(output);
  if (!document) {
    why = "the output (whole, or its last line) is not JSON";
    return std::nullopt;
  }
  const nlohmann::json* node = &*document;
  std::string walked;
  std::size_t start = 0;
  while (start <= json_key_.size()) {
    const std::size_t dot = std::min(json_key_.find('.', start), json_key_.size());
    const std::string part = json_key_.substr(start, dot - start);
    walked += (walked.empty() ? "" : ".") + part;
    const nlohmann::json* next = nullptr;
    if (node->is_object() && node->contains(part)) {
      next = &(*node)[part];
    } else if (node->is_array() && !part.empty() && part.size() <= 9 && part.find_first_not_of("0123456789") == std::string::npos &&
               std::stoul(part) < node->size()) {
      next = &(*node)[std::stoul(part)];
    }
    if (!next) {
      why = "JSON output has no key '" + walked + "'";
      return std::nullopt;
    }
    node = next;
    start = dot + 1;
  }
  if (node->is_number()) return node->get<double>();
  if (node->is_string()) {
    if (const auto v = to_number(node->get<std::string>())) return v;
  }
  why = "JSON key '" + json_key_ + "' holds " + node->dump() + ", not a number";
  return std::nullopt;
}

}  // namespace nasctl::hardware::command
