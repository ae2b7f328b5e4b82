// Weighted linear least squares without an intercept (add a column of ones
// for one) and without a penalty: the few-term fits of lookup-table
// calibrations (tens of networks, up to a dozen terms), whose coefficients
// are read as scales and overheads and must not be shrunk (ridge.hpp is for
// predictors with many features).
#pragma once

#include <vector>

#include "nasctl/predict/regressor.hpp"

namespace nasctl::predict {

// Coefficients b minimising sum_i w_i (x_i . b - y_i)^2, by LibTorch's
// SVD-based least squares (gelsd) in double precision. Rank-deficient
// designs (collinear columns) get the minimum-norm solution, as numpy's
// lstsq would. Throws nasctl::Error on empty input, ragged rows, sizes that
// do not match, or a weight that is not a finite number > 0.
std::vector<double> weighted_least_squares(const FeatureRows& x, const std::vector<double>& y,
                                           const std::vector<double>& weights);

}  // namespace nasctl::predict
