// A hand-made two-variable space with a weight-sharing super-network small
// enough to check every number by hand: a 2-channel 5x5 input, one
// convolution (width 2 or 4, kernel 1 or 3) with batch norm and ReLU, global
// pooling, a 3-class linear layer. The shared convolution is [4, 2, 3, 3];
// kernel 1 is its centre, passed through the 1x1 matrix "conv.3to1_matrix"
// when the space is built with `kernel_matrix`.
//
// `Flaw` makes the space break its own contract, to check the engine's
// errors: a layer wider than the super-network, a tensor bound twice or not
// at all.
#pragma once

#include <string>
#include <vector>

#include "nasctl/search_space.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::test {

class TinySpace : public SearchSpace, public WeightSharing {
 public:
  enum class Flaw { None, TooWide, BoundTwice, Unbound };

  explicit TinySpace(bool kernel_matrix = true, Flaw flaw = Flaw::None) : kernel_matrix_(kernel_matrix), flaw_(flaw) {
    variables_.push_back(numeric_variable("width", {2, 4}));
    variables_.push_back(numeric_variable("kernel", {1, 3}));
  }

  static int64_t width(const Architecture& a) { return a[0] == 0 ? 2 : 4; }
  static int kernel(const Architecture& a) { return a[1] == 0 ? 1 : 3; }

  const std::vector<DecisionVariable>& variables() const override { return variables_; }

  NetworkSpec lower(const Architecture& arch) const override {
    check(arch);
    NetworkBuilder b("tiny", TensorShape{2, 5, 5});
    const int64_t channels = flaw_ == Flaw::TooWide ? 8 : width(arch);
    b.conv(channels, kernel(arch), 1, 1, /*batch_norm=*/true, ActivationKind::ReLU);
    b.global_avg_pool();
    b.linear(3, /*bias=*/true);
    return std::move(b).finish();
  }

  std::string supernet_name() const override { return "tiny super-network"; }

  std::vector<SharedTensor> shared_tensors() const override {
    return {
        {"conv.weight", {4, 2, 3, 3}, SharedTensorKind::ConvWeight, {"old.conv.weight"}},
        {"conv.3to1_matrix", {1, 1}, SharedTensorKind::KernelTransform, {}},
        {"bn.weight", {4}, SharedTensorKind::BatchNormScale, {}},
        {"bn.bias", {4}, SharedTensorKind::BatchNormShift, {}},
        {"bn.running_mean", {4}, SharedTensorKind::BatchNormMean, {}},
        {"bn.running_var", {4}, SharedTensorKind::BatchNormVariance, {}},
        {"fc.weight", {3, 4}, SharedTensorKind::LinearWeight, {}},
        {"fc.bias", {3}, SharedTensorKind::Bias, {}},
    };
  }

  std::vector<TensorBinding> bind(const Architecture& arch, const NetworkSpec&) const override {
    std::vector<KernelStep> steps;
    if (kernel_matrix_ && kernel(arch) == 1) steps.push_back({1, "conv.3to1_matrix"});
    std::vector<TensorBinding> out{
        {0, TensorRole::Weight, "conv.weight", steps},
        {0, TensorRole::BatchNormScale, "bn.weight", {}},
        {0, TensorRole::BatchNormShift, "bn.bias", {}},
        {0, TensorRole::BatchNormMean, "bn.running_mean", {}},
        {0, TensorRole::BatchNormVariance, "bn.running_var", {}},
        {2, TensorRole::Weight, "fc.weight", {}},
        {2, TensorRole::Bias, "fc.bias", {}},
    };
    if (flaw_ == Flaw::BoundTwice) out.push_back({2, TensorRole::Bias, "fc.bias", {}});
    if (flaw_ == Flaw::Unbound) out.pop_back();
    return out;
  }

 private:
  bool kernel_matrix_;
  Flaw flaw_;
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::test
