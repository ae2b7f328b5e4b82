// A search space without the WeightSharing face: a small grey-image
// network whose width is the one decision variable. Every architecture is a
// network of its own (no shared weights), so `nasctl train` must refuse it.
#include "nasctl/export.hpp"

namespace {

class PlainSpace : public nasctl::SearchSpace {
 public:
  explicit PlainSpace(const nasctl::PluginContext&) : variables_{nasctl::numeric_variable("width", {8, 16})} {}

  const std::vector<nasctl::DecisionVariable>& variables() const override { return variables_; }

  nasctl::NetworkSpec lower(const nasctl::Architecture& arch) const override {
    check(arch);
    nasctl::NetworkBuilder b("plain", nasctl::TensorShape{1, 28, 28});
    b.conv(static_cast<int64_t>(variables_[0].values[static_cast<std::size_t>(arch[0])]), 3, 2, 1, true,
           nasctl::ActivationKind::ReLU);
    b.global_avg_pool();
    b.linear(10, true);
    return std::move(b).finish();
  }

 private:
  std::vector<nasctl::DecisionVariable> variables_;
};

nasctl::PluginInfo describe() { return {"test-plain", "0.0.1", "Test space without a super-network", {}}; }

}  // namespace

NASCTL_EXPORT_SPACE(PlainSpace, describe)
