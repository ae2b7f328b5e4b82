// The HURRICANE search space (Zhang et al., "Fast Hardware-Aware Neural
// Architecture Search", 2020): a MobileNet-style backbone whose searchable
// layers each choose one operator from a pool of 43 (operators.hpp).
//
// Macro structure (defaults after FBNet's, which HURRICANE builds on):
//   stem      3x3 conv stride 2, 3 -> 16, BN, ReLU
//   fixed     depthwise 3x3 + BN + ReLU, 1x1 16 -> 16 + BN, identity shortcut
//   stages    widths [24, 32, 64, 112, 184, 352], depths [4, 4, 4, 4, 3, 1],
//             strides [2, 2, 2, 1, 2, 1]: 20 searchable layers l0..l19; the
//             first layer of a stage has the stage's stride, the others 1
//   head      1x1 conv -> 1984, BN, ReLU; global average pool; linear -> classes
//
// One variable per searchable layer, named l<i>, whose labels are the
// operators valid there: "skip" is left out of layers that change the shape
// (stride 2 or a new width), so every choice vector is a valid network. An
// operators file written by `nasctl space select` restricts each layer to
// the operators selected for a device, in their score order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/evolve/operator_space.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/size_extremes.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::spaces::hurricane {

class HurricaneSpace : public SearchSpace,
                       public evolve::OperatorSpace,
                       public LayerEnumerable,
                       public WeightSharing,
                       public SizeExtremes {
 public:
  explicit HurricaneSpace(const PluginContext& context);
  static std::vector<ConfigKey> config_keys();

  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override;
  // The canonical form "l0=<op>;l1=<op>;...", with messages that say why an
  // operator is not allowed at a layer and what is.
  Architecture parse(std::string_view text) const override;

  // OperatorSpace (nasctl space select).
  std::vector<evolve::LayerPosition> layer_positions() const override { return positions_; }
  std::vector<std::string> pool_at(std::size_t position) const override;
  NetworkSpec lower_operator(std::size_t position, const std::string& op) const override;
  std::string operators_file_space() const override { return "hurricane"; }

  // LayerEnumerable (nasctl lut build): every distinct layer of the space
  // (as restricted by operators_file, when given).
  std::vector<Layer> distinct_layers() const override;

  // SizeExtremes (nasctl space info). Each searchable layer maps a fixed
  // input shape to a fixed output shape, so a network's cost is the fixed
  // part plus one term per layer that depends on that layer's operator
  // alone: the smallest network takes, at every layer, the operator with the
  // fewest MACs (then parameters), the largest the one with the most.
  // Different operators are different layers, and canonicalize() merges
  // nothing, so every choice vector is its own network: distinct_networks()
  // is the product of the layers' choice counts.
  Architecture smallest() const override;
  Architecture largest() const override;
  std::string distinct_networks() const override;

  // WeightSharing (nasctl::supernet): the single-path one-shot super-network,
  // every candidate operator of every layer owning its weights
  // (hurricane_weight_sharing.ipp).
  std::string supernet_name() const override;
  std::vector<SharedTensor> shared_tensors() const override;
  std::vector<TensorBinding> bind(const Architecture& arch, const NetworkSpec& spec) const override;

  // Pool indices of the operators a layer may choose, in choice order.
  const std::vector<int>& layer_operators(std::size_t layer) const { return choices_.at(layer); }
  std::size_t layers() const { return positions_.size(); }
  const std::string& operators_file() const { return operators_file_; }

 private:
  void read_macro(const PluginConfig& config);
  // The choice at every layer whose operator costs least (fewest) or most.
  Architecture extreme(bool fewest) const;
  [[noreturn]] void fail_choice(std::string_view text, std::size_t layer, const std::string& op) const;

  int64_t resolution_ = 224;
  int64_t classes_ = 1000;
  int64_t stem_width_ = 16;
  int64_t first_width_ = 16;
  int64_t head_width_ = 1984;
  std::vector<evolve::LayerPosition> positions_;
  std::vector<std::vector<int>> choices_;  // per layer: pool indices
  std::vector<DecisionVariable> variables_;
  std::string operators_file_;
};

// Reads an operators file (nasctl space select) for these layer positions:
// per layer, the pool indices it lists, in file order. Throws DataError
// "file:line: ...; fix: ..." when the file does not fit the space.
std::vector<std::vector<int>> load_operators_file(const std::string& path,
                                                  const std::vector<evolve::LayerPosition>& positions);

}  // namespace nasctl::spaces::hurricane
