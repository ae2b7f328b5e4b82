// Numeric features of a NetworkSpec for latency predictors: what a device's
// latency mostly follows from, per op class, so a linear model can learn a
// cost per unit of each (MACs of dense and depthwise convolutions by kernel
// size, matrix-vector work, element-wise traffic, layer counts for the
// per-layer overhead) and a kernel model their interactions.
#pragma once

#include <string>
#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl::hardware::predictor {

// Names of network_features(), in order.
const std::vector<std::string>& network_feature_names();

// One value per name: MAC counts per op class (depthwise split by kernel
// 3/5/7/other), parameters, activation elements written (all layers),
// peak activation elements, element-wise elements (pools, adds, squeeze-
// excite scaling, stand-alone BN and activations), and layer counts per kind.
std::vector<double> network_features(const NetworkSpec& network);

}  // namespace nasctl::hardware::predictor
