// The Once-for-All ResNet50 search space (DyNAS-T's ofa_resnet50, OFA's
// OFAResNets with depth_list [0, 1, 2], expand_ratio_list [0.2, 0.25, 0.35],
// width_mult_list [0.65, 0.8, 1.0]): 5 depths, 18 bottleneck expand ratios,
// 6 width-multiplier indices and the input resolution. It is also OFA's
// super-network (WeightSharing, ofa_resnet50_weight_sharing.ipp): its tensors
// under the names of OFA's checkpoints. Facts: DESIGN.md
// section 3 and the once-for-all repository (networks/resnets.py,
// elastic_nn/networks/ofa_resnets.py, elastic_nn/modules/dynamic_layers.py).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/layer_enumeration.hpp"
#include "nasctl/plugin.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/size_extremes.hpp"
#include "nasctl/weight_sharing.hpp"

namespace nasctl::spaces::ofa_resnet50 {

// OFA's channel rounding (ofa.utils.make_divisible with divisor 8): nearest
// multiple of 8 (at least 8), plus 8 when rounding down lost over 10%.
int64_t make_divisible(double value);
// A bottleneck's middle width: make_divisible(round(out * e)), with
// Python's round (half to even) of out * e computed exactly on integers;
// e is given in hundredths (20, 25, 35).
int64_t bottleneck_mid(int64_t out, int e_percent);

class OfaResNet50 : public SearchSpace, public LayerEnumerable, public WeightSharing, public SizeExtremes {
 public:
  static constexpr int kStages = 4;
  static constexpr int kDepthVars = kStages + 1;  // d[0]: the stem's residual block
  static constexpr int kBlocks = 18;              // block slots: 2+2, 2+2, 4+2, 2+2
  static constexpr int kWidthVars = kStages + 2;  // w[0]: stem's first two convs, w[1]: stem output
  // Layout of the choice vector (DyNAS-T's key order): d0..d4, e0..e17, w0..w5, r.
  static constexpr int kDBase = 0;
  static constexpr int kEBase = kDBase + kDepthVars;
  static constexpr int kWBase = kEBase + kBlocks;
  static constexpr int kRIndex = kWBase + kWidthVars;
  static constexpr int kVariables = kRIndex + 1;

  static constexpr std::array<int, 3> kDepths{0, 1, 2};
  static constexpr std::array<int, 3> kExpandPercents{20, 25, 35};  // e = 0.2, 0.25, 0.35
  // OFA's published width_mult_list, the default of the `width_mults` key.
  static constexpr std::array<double, 3> kWidthMults{0.65, 0.8, 1.0};
  static constexpr std::array<int, kStages> kBaseDepths{2, 2, 4, 2};
  static constexpr std::array<int, kStages> kSlotBase{0, 4, 8, 14};  // first block slot of each stage
  static constexpr std::array<int64_t, kStages> kStageWidths{256, 512, 1024, 2048};
  static constexpr std::array<int, kStages> kStrides{1, 2, 2, 2};

  explicit OfaResNet50(const PluginContext& context);

  // The config keys (resolutions, classes); describe() exports them.
  static std::vector<ConfigKey> config_keys();

  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override;
  // Same network, same representative: e of unused block slots -> 0.2;
  // d[0] = 1 -> 0 (OFA keeps the stem's residual block only at d[0] = 2);
  // a width or expand choice -> the first one giving the same channels
  // (w[0] = 1 -> 0 at the default widths: 0.65 and 0.8 both give the stem
  // 24 channels).
  Architecture canonicalize(const Architecture& arch) const override;
  // One-hot of the canonical architecture, e of unused slots all zeros.
  std::vector<double> encode(const Architecture& arch) const override;

  // LayerEnumerable (nasctl lut build): every distinct layer of the space.
  std::vector<Layer> distinct_layers() const override;

  // WeightSharing (nasctl::supernet): OFA's OFAResNets with the configured
  // width_mult_list, tensors named as its state_dict() names them (older
  // names as aliases); a sub-network takes the first channels of each.
  std::string supernet_name() const override;
  std::vector<SharedTensor> shared_tensors() const override;
  std::vector<TensorBinding> bind(const Architecture& arch, const NetworkSpec& spec) const override;
  // Once-for-All's re_organize_middle_weights for its bottlenecks: conv2's
  // output channels (importance: conv3's input channels) and conv1's
  // (importance: conv2's input channels), the two middle widths of a block.
  std::vector<ChannelGroup> channel_groups() const override;

  // SizeExtremes: MACs and parameters grow with every variable (depth,
  // expand ratio, width, resolution), so the smallest network takes every
  // first choice at the lowest resolution and the largest every last one at
  // the highest.
  Architecture smallest() const override;
  Architecture largest() const override;
  std::string distinct_networks() const override;

  // Canonical form "d=2,0,1,2,1;e=0.35,0.2,-,-,...;w=0,1,2,2,1,0;r=224"
  // ('-' marks the block slots a stage's depth leaves unused).
  std::string to_string(const Architecture& arch) const override;
  // The canonical form or DyNAS-T's dict "{'d': [...], 'e': [...], 'w': [...], 'r': [224]}".
  Architecture parse(std::string_view text) const override;
  // DyNAS-T's dict form (unused slots written as 0.2).
  std::string to_dynast(const Architecture& arch) const;

  // Blocks used in stage s (base depth + d[s + 1]) and whether a slot is used.
  static int depth(const Architecture& arch, int stage) {
    return kBaseDepths[stage] + kDepths[arch[kDBase + 1 + stage]];
  }
  static int stage_of(int slot) {
    int s = 0;
    while (s + 1 < kStages && slot >= kSlotBase[s + 1]) ++s;
    return s;
  }
  static bool active(const Architecture& arch, int slot) {
    const int s = stage_of(slot);
    return slot - kSlotBase[s] < depth(arch, s);
  }
  // Whether the stem keeps its skippable residual 3x3 block (d[0] = 2).
  static bool stem_residual(const Architecture& arch) { return kDepths[arch[kDBase]] == 2; }

  // Channel widths per width choice: the stem's first two convs
  // (make_divisible(make_divisible(64 w) // 2)), the stem's output
  // (make_divisible(64 w)), and each stage's.
  const std::array<int64_t, 3>& stem_mid_widths() const { return stem_mid_; }
  const std::array<int64_t, 3>& stem_out_widths() const { return stem_out_; }
  const std::array<int64_t, 3>& stage_widths(int stage) const { return stage_width_[stage]; }
  // Bottleneck middle width of a stage's blocks per (width choice, e choice).
  int64_t mid(int stage, int w, int e) const { return mid_[stage][w][e]; }
  const std::array<double, 3>& width_mults() const { return width_mults_; }
  const std::vector<int64_t>& resolutions() const { return resolutions_; }
  int64_t classes() const { return classes_; }

 private:
  static constexpr int kUnset = -1;
  // Parsed values of either text form: d and w as integers, e in
  // hundredths, r as pixels; kUnset for '-'.
  struct Values {
    std::vector<int> d, e, w, r;
  };
  Architecture from_values(std::string_view text, const Values& v) const;
  Values parse_canonical(std::string_view text) const;
  Values parse_dynast(std::string_view text) const;
  [[noreturn]] void fail(std::string_view text, const std::string& what) const;

  std::vector<int64_t> resolutions_;
  int64_t classes_ = 1000;
  std::array<double, 3> width_mults_ = kWidthMults;
  std::array<int64_t, 3> stem_mid_{};
  std::array<int64_t, 3> stem_out_{};
  std::array<std::array<int64_t, 3>, kStages> stage_width_{};
  std::array<std::array<std::array<int64_t, 3>, 3>, kStages> mid_{};
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::spaces::ofa_resnet50
