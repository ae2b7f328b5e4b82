#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict {

// Defined here so the vtable lives in one library across plugin borders.
Regressor::~Regressor() = default;

std::vector<double> Regressor::predict(const FeatureRows& x) const {
  std::vector<double> out;
  out.reserve(x.size());
  for (const auto& row : x) out.push_back(predict_one(row));
  return out;
}

}  // namespace nasctl::predict
