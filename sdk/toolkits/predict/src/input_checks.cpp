#include "input_checks.hpp"

#include <cmath>
#include <sstream>

#include "nasctl/predict/error.hpp"

namespace nasctl::predict::detail {

namespace {

std::string number(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}

}  // namespace

std::size_t check_training_data(const FeatureRows& x, const std::vector<double>& y, const std::string& who,
                                std::size_t min_samples) {
  if (x.size() != y.size())
    throw PredictError(who + ": " + std::to_string(x.size()) + " feature rows but " + std::to_string(y.size()) +
                       " targets; fix: give one target per feature row");
  if (y.size() < min_samples)
    throw PredictError(who + ": " + std::to_string(y.size()) + " samples, needs at least " +
                       std::to_string(min_samples) + "; fix: add samples (or use fewer cross-validation folds)");
  const std::size_t features = x.front().size();
  if (features == 0) throw PredictError(who + ": samples have no features; fix: encode each sample as numbers");
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i].size() != features)
      throw PredictError(who + ": row " + std::to_string(i) + " has " + std::to_string(x[i].size()) +
                         " features, row 0 has " + std::to_string(features) + "; fix: encode every sample alike");
    for (std::size_t j = 0; j < features; ++j) {
      if (!std::isfinite(x[i][j]))
        throw PredictError(who + ": feature " + std::to_string(j) + " of row " + std::to_string(i) + " is " +
                           number(x[i][j]) + "; fix: drop or impute non-finite features");
    }
    if (!std::isfinite(y[i]))
      throw PredictError(who + ": target of row " + std::to_string(i) + " is " + number(y[i]) +
                         "; fix: drop rows without a measured target");
  }
  bool constant = true;
  for (double v : y) constant = constant && v == y.front();
  if (constant)
    throw PredictError(
        who + ": all " + std::to_string(y.size()) + " targets equal " + number(y.front()) +
        "; a constant can be neither learned nor ranked; fix: check the target column (was it measured?)");
  return features;
}

void check_sample(const std::vector<double>& x, std::size_t features, const std::string& who) {
  if (x.size() != features)
    throw PredictError(who + ": sample has " + std::to_string(x.size()) + " features, the model was fitted on " +
                       std::to_string(features) +
                       "; fix: encode samples as for fitting (same search space and settings)");
  for (std::size_t j = 0; j < x.size(); ++j) {
    if (!std::isfinite(x[j]))
      throw PredictError(who + ": feature " + std::to_string(j) + " is " + number(x[j]) +
                         "; fix: pass finite features");
  }
}

}  // namespace nasctl::predict::detail
