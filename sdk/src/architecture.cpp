#include "nasctl/architecture.hpp"

#include <sstream>

namespace nasctl {

DecisionVariable numeric_variable(std::string name, const std::vector<double>& values) {
  DecisionVariable v{std::move(name), {}, values};
  for (double x : values) {
    std::ostringstream label;
    label << x;  // shortest natural form: 3, 0.25, 224
    v.labels.push_back(label.str());
  }
  return v;
}

DecisionVariable nominal_variable(std::string name, std::vector<std::string> labels) {
  return DecisionVariable{std::move(name), std::move(labels), {}};
}

}  // namespace nasctl
