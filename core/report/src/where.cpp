#include "nasctl/report/where.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "nasctl/error.hpp"
#include "nasctl/runtime/did_you_mean.hpp"

namespace nasctl::report {

namespace {

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

[[noreturn]] void malformed(const std::string& text, const std::string& what) {
  throw Error("--where '" + text + "': " + what +
              "; fix: write METRIC OP NUMBER with OP one of <=, <, >=, >, ==, e.g. --where 'cpu.latency_ms<=10'");
}

}  // namespace

bool Condition::holds(double v) const {
  if (std::isnan(v)) return false;
  switch (op) {
    case Op::AtMost: return v <= value;
    case Op::Below: return v < value;
    case Op::AtLeast: return v >= value;
    case Op::Above: return v > value;
    case Op::Equal: return v == value;
  }
  return false;
}

Condition parse_condition(const std::string& text, const std::vector<std::string>& metrics) {
  Condition c;
  c.text = text;
  const std::size_t at = text.find_first_of("<>=");
  if (at == std::string::npos) malformed(text, "no comparison (<=, <, >=, >, ==)");
  static const std::pair<const char*, Condition::Op> kOps[] = {
      {"<=", Condition::Op::AtMost}, {">=", Condition::Op::AtLeast}, {"==", Condition::Op::Equal},
      {"<", Condition::Op::Below},   {">", Condition::Op::Above}};
  std::size_t length = 0;
  for (const auto& [symbol, op] : kOps) {
    if (text.compare(at, std::char_traits<char>::length(symbol), symbol) == 0) {
      c.op = op;
      length = std::char_traits<char>::length(symbol);
      break;
    }
  }
  if (length == 0) malformed(text, "'=' alone is not a comparison");
  c.metric = trimmed(text.substr(0, at));
  const std::string number = trimmed(text.substr(at + length));
  if (c.metric.empty()) malformed(text, "no metric before the comparison");
  if (number.empty()) malformed(text, "no number after the comparison");
  if (number.find_first_of("<>=") != std::string::npos) malformed(text, "more than one comparison");
  errno = 0;
  char* end = nullptr;
  c.value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || errno == ERANGE || !std::isfinite(c.value))
    malformed(text, "'" + number + "' is not a number");
  if (std::find(metrics.begin(), metrics.end(), c.metric) == metrics.end()) {
    std::string names;
    for (const auto& m : metrics) names += (names.empty() ? "" : ", ") + m;
    throw Error("--where '" + text + "': the run has no metric '" + c.metric + "'" +
                runtime::did_you_mean(c.metric, metrics) + "; fix: name one of its metrics: " + names);
  }
  return c;
}

}  // namespace nasctl::report
