// A two-variable space small enough to build checkpoints of in a test: an
// RGB input at resolution 8 or 12, one convolution (width 2 or 4, kernel 3)
// with batch norm and ReLU, global pooling, a linear layer to `classes`.
// The super-network's convolution has 4 channels; built `too_wide`, the
// width variable also offers 8, an architecture outside the super-network.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nasctl/search_space.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::test {

class TinyRgbSpace : public SearchSpace, public WeightSharing {
 public:
  explicit TinyRgbSpace(int64_t classes, bool too_wide = false) : classes_(classes) {
    variables_.push_back(numeric_variable("width", too_wide ? std::vector<double>{2, 4, 8} : std::vector<double>{2, 4}));
    variables_.push_back(numeric_variable("resolution", {8, 12}));
  }

  const std::vector<DecisionVariable>& variables() const override { return variables_; }

  NetworkSpec lower(const Architecture& arch) const override {
    check(arch);
    const auto resolution = static_cast<int64_t>(variables_[1].values[arch[1]]);
    NetworkBuilder b("tiny-rgb", TensorShape{3, resolution, resolution});
    b.conv(static_cast<int64_t>(variables_[0].values[arch[0]]), 3, 1, 1, /*batch_norm=*/true, ActivationKind::ReLU);
    b.global_avg_pool();
    b.linear(classes_, /*bias=*/true);
    return std::move(b).finish();
  }

  std::string supernet_name() const override { return "tiny-rgb super-network"; }

  std::vector<SharedTensor> shared_tensors() const override {
    return {
        {"conv.weight", {4, 3, 3, 3}, SharedTensorKind::ConvWeight, {}},
        {"bn.weight", {4}, SharedTensorKind::BatchNormScale, {}},
        {"bn.bias", {4}, SharedTensorKind::BatchNormShift, {}},
        {"bn.running_mean", {4}, SharedTensorKind::BatchNormMean, {}},
        {"bn.running_var", {4}, SharedTensorKind::BatchNormVariance, {}},
        {"fc.weight", {classes_, 4}, SharedTensorKind::LinearWeight, {}},
        {"fc.bias", {classes_}, SharedTensorKind::Bias, {}},
    };
  }

  std::vector<TensorBinding> bind(const Architecture&, const NetworkSpec&) const override {
    return {
        {0, TensorRole::Weight, "conv.weight", {}},
        {0, TensorRole::BatchNormScale, "bn.weight", {}},
        {0, TensorRole::BatchNormShift, "bn.bias", {}},
        {0, TensorRole::BatchNormMean, "bn.running_mean", {}},
        {0, TensorRole::BatchNormVariance, "bn.running_var", {}},
        {2, TensorRole::Weight, "fc.weight", {}},
        {2, TensorRole::Bias, "fc.bias", {}},
    };
  }

 private:
  int64_t classes_;
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::test
