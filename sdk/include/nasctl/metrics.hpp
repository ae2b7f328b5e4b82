// Metrics, objectives and constraints: the vocabulary between metric
// providers, the run loop and search strategies.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace nasctl {

// A number as conditions, logs and messages show it: six significant
// digits, enough for a measurement, short enough for run.json.
inline std::string six_digits(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

// Metric values by name. Providers return their own names ("latency_ms");
// the run loop prefixes the instance name ("cpu.latency_ms").
using Metrics = std::map<std::string, double>;

struct MetricInfo {
  std::string name;         // provider-local, e.g. "latency_ms"
  std::string unit;         // e.g. "ms", "MAC", "%"
  std::string description;  // one line
};

enum class Goal { Minimize, Maximize };

struct Objective {
  std::string metric;  // full name, e.g. "cpu.latency_ms"
  Goal goal = Goal::Minimize;

  // Objective value in minimisation form (maximised metrics are negated), so
  // strategies and the multi-objective maths only ever minimise.
  double to_minimized(double value) const { return goal == Goal::Maximize ? -value : value; }
};

enum class Bound { AtMost, AtLeast };

struct Constraint {
  std::string metric;  // full name
  Bound bound = Bound::AtMost;
  double limit = 0.0;

  // 0 when satisfied; otherwise how far past the limit, relative to |limit|
  // (absolute when the limit is 0) so constraints of different units add up.
  double violation(double value) const;
};

// Measurement conditions of a provider, written to run.json (device, threads,
// batch size, warm-up, repeats, dtype, CPU model...). Reproducibility needs them.
using Conditions = std::map<std::string, std::string>;

}  // namespace nasctl
