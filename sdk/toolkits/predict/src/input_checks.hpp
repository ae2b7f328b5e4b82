// Checks shared by every model's fit() and predict_one(), so each model
// reports bad data with the same one-line messages.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict::detail {

// Throws PredictError "<who>: ...; fix: ..." for mismatched lengths, fewer
// than min_samples samples, ragged rows, rows without features, non-finite
// values or constant targets. Returns the number of features.
std::size_t check_training_data(const FeatureRows& x, const std::vector<double>& y, const std::string& who,
                                std::size_t min_samples);

// Throws PredictError when x does not have `features` finite values.
void check_sample(const std::vector<double>& x, std::size_t features, const std::string& who);

}  // namespace nasctl::predict::detail
