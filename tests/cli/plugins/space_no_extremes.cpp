// A space plugin without the SizeExtremes face (and without a
// canonicalize()): `nasctl space info` must say, in one line, that it does
// not declare its extremes, and report its size alone. Three nominal
// variables a0..a2 {x,y}, one numeric `units` {8,16,32}; every network is
// one linear layer of `units` outputs on a 4-feature input.
#include "nasctl/export.hpp"

namespace {

class PlainSpace : public nasctl::SearchSpace {
 public:
  explicit PlainSpace(const nasctl::PluginContext&) {
    for (int i = 0; i < 3; ++i) variables_.push_back(nasctl::nominal_variable("a" + std::to_string(i), {"x", "y"}));
    variables_.push_back(nasctl::numeric_variable("units", {8, 16, 32}));
  }
  const std::vector<nasctl::DecisionVariable>& variables() const override { return variables_; }
  nasctl::NetworkSpec lower(const nasctl::Architecture& arch) const override {
    check(arch);
    nasctl::NetworkBuilder b("plain", nasctl::TensorShape{4, 1, 1});
    b.linear(static_cast<int64_t>(variables_[3].values[arch[3]]), true);
    return std::move(b).finish();
  }

 private:
  std::vector<nasctl::DecisionVariable> variables_;
};

nasctl::PluginInfo describe() { return {"plain", "0.0.1", "Test space without SizeExtremes", {}}; }

}  // namespace

NASCTL_EXPORT_SPACE(PlainSpace, describe)
