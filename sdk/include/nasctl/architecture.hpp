// An architecture is a point of a search space: one choice index per decision
// variable. The space that produced it gives the indices their meaning.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nasctl {

// Index i selects choices[i] of variable i of the owning space.
using Architecture = std::vector<int>;

// One decision variable: a named categorical choice. `labels` are what users
// see (e.g. "3", "5", "7" for a kernel size) and what text forms print;
// `values` hold the numeric meaning when there is one (used for encodings).
struct DecisionVariable {
  std::string name;
  std::vector<std::string> labels;
  std::vector<double> values;  // same length as labels, or empty if nominal

  int cardinality() const { return static_cast<int>(labels.size()); }
};

// Builds a variable whose choices are numbers, e.g. kernel sizes {3, 5, 7}.
DecisionVariable numeric_variable(std::string name, const std::vector<double>& values);
// Builds a nominal variable, e.g. operator names.
DecisionVariable nominal_variable(std::string name, std::vector<std::string> labels);

}  // namespace nasctl
