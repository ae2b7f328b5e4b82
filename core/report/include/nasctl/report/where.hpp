// `nasctl pick --where 'cpu.latency_ms<=10'`: one bound on one metric of a
// run. The grammar is METRIC OP NUMBER with OP one of <=, <, >=, >, ==
// (spaces allowed around each part); a metric the run does not have is an
// error that suggests the closest name.
#pragma once

#include <string>
#include <vector>

namespace nasctl::report {

struct Condition {
  enum class Op { AtMost, Below, AtLeast, Above, Equal };
  std::string text;    // as the user wrote it, for messages
  std::string metric;
  Op op = Op::AtMost;
  double value = 0.0;

  // NaN (no value) never satisfies a condition.
  bool holds(double metric_value) const;
};

// Throws nasctl::Error "--where '...': ...; fix: ..." when the text does not
// parse or names a metric not in `metrics` (with a did-you-mean).
Condition parse_condition(const std::string& text, const std::vector<std::string>& metrics);

}  // namespace nasctl::report
