// The error a predictor raises when it is given data it cannot learn from or
// predict on (too few samples, constant targets, NaNs, mismatched shapes).
// Model files that cannot be read raise nasctl::DataError instead.
#pragma once

#include "nasctl/error.hpp"

namespace nasctl::predict {

class PredictError : public Error {
 public:
  using Error::Error;
};

}  // namespace nasctl::predict
