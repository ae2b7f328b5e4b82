// The Once-for-All MobileNetV3 search space (DyNAS-T's
// ofa_mbv3_d234_e346_k357_w1.0 / _w1.2): 20 kernel sizes, 20 expand ratios,
// 5 stage depths and the input resolution. Lowering reproduces the
// parameter and MAC counts of DyNAS-T's measured ImageNet tables exactly.
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

namespace nasctl::spaces::ofa_mobilenetv3 {

// OFA's channel rounding: nearest multiple of 8 (at least 8), bumped by 8
// when rounding down lost more than 10%.
int64_t make_divisible(double value);

class OfaMobileNetV3 : public SearchSpace, public LayerEnumerable, public WeightSharing, public SizeExtremes {
 public:
  static constexpr int kStages = 5;
  static constexpr int kSlotsPerStage = 4;
  static constexpr int kSlots = kStages * kSlotsPerStage;
  // Layout of the choice vector: ks0..ks19, e0..e19, d0..d4, r.
  static constexpr int kKsBase = 0;
  static constexpr int kEBase = kSlots;
  static constexpr int kDBase = 2 * kSlots;
  static constexpr int kRIndex = kDBase + kStages;
  static constexpr int kVariables = kRIndex + 1;

  static constexpr std::array<int, 3> kKernels{3, 5, 7};
  static constexpr std::array<int, 3> kExpands{3, 4, 6};
  static constexpr std::array<int, 3> kDepths{2, 3, 4};

  explicit OfaMobileNetV3(const PluginContext& context);

  // The config keys (width, resolutions, classes, input_channels, stem);
  // describe() exports them.
  static std::vector<ConfigKey> config_keys();

  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override;
  Architecture canonicalize(const Architecture& arch) const override;
  std::vector<double> encode(const Architecture& arch) const override;
  // LayerEnumerable (nasctl lut build): every distinct layer of the space.
  std::vector<Layer> distinct_layers() const override;

  // SizeExtremes (nasctl space info). Every cost grows with each choice
  // (kernel, expand ratio, depth, resolution), so the smallest network takes
  // every first choice at the lowest resolution and the largest every last
  // at the highest. distinct_networks(): per stage, depth d leaves d (ks, e)
  // slots used, 9^d settings each, so (9^2 + 9^3 + 9^4)^5 = 7371^5 times the
  // number of resolutions: the classes canonicalize() makes.
  Architecture smallest() const override;
  Architecture largest() const override;
  std::string distinct_networks() const override;

  // WeightSharing (nasctl::supernet): Once-for-All's OFAMobileNetV3 with
  // ks_list [3, 5, 7], expand_ratio_list [3, 4, 6], depth_list [2, 3, 4],
  // its tensors under the names its state_dict() uses
  // (ofa_weight_sharing.ipp).
  std::string supernet_name() const override;
  std::vector<SharedTensor> shared_tensors() const override;
  std::vector<TensorBinding> bind(const Architecture& arch, const NetworkSpec& spec) const override;
  // Once-for-All's re_organize_middle_weights: each elastic block's middle
  // channels (importance: the projection's input channels) and, where the
  // stage has squeeze-excite, its hidden channels (importance: the input
  // channels of the squeeze-excite's fc.expand).
  std::vector<ChannelGroup> channel_groups() const override;

  // Canonical form "ks=5,7,-,...;e=4,3,-,...;d=2,3,2,4,3;r=224" ('-' marks
  // the slots a stage's depth leaves unused).
  std::string to_string(const Architecture& arch) const override;
  // The canonical form or DyNAS-T's dict "{'wid': None, 'ks': [...], ...}".
  Architecture parse(std::string_view text) const override;
  // DyNAS-T's dict form (unused slots written as the first choice).
  std::string to_dynast(const Architecture& arch) const;

  // Depth (number of active blocks) of a stage, and whether a slot is used.
  static int depth(const Architecture& arch, int stage) { return kDepths[arch[kDBase + stage]]; }
  static bool active(const Architecture& arch, int slot) {
    return slot % kSlotsPerStage < depth(arch, slot / kSlotsPerStage);
  }

  // Channel widths W0..W8: stem, first block, five stages, final expand, last.
  const std::array<int64_t, 9>& widths() const { return widths_; }
  const std::vector<int64_t>& resolutions() const { return resolutions_; }
  int64_t classes() const { return classes_; }
  int64_t input_channels() const { return input_channels_; }
  // stem = "small": first convolution and first stage at stride 1 (total
  // stride 8, for 28x28 / 32x32 inputs); otherwise OFA's ImageNet layout.
  bool small_stem() const { return small_stem_; }

 private:
  // Per stage and expand-ratio choice, precomputed so lower() only appends.
  struct Stage {
    int64_t width = 0;
    int stride = 1;
    bool se = false;
    ActivationKind act = ActivationKind::ReLU;
    std::array<int64_t, 3> mid_first{};  // first block: input is the previous stage's width
    std::array<int64_t, 3> mid_rest{};   // other blocks: input is this stage's width
    std::array<int64_t, 3> se_first{};   // squeeze-excite hidden channels, likewise
    std::array<int64_t, 3> se_rest{};
  };

  // Parsed values of either text form; '-' (unused slot) is kUnset.
  static constexpr int kUnset = -1;
  struct Values {
    std::vector<int> ks, e, d, r;
  };
  Architecture from_values(std::string_view text, const Values& v) const;
  Values parse_canonical(std::string_view text) const;
  Values parse_dynast(std::string_view text) const;
  [[noreturn]] void fail(std::string_view text, const std::string& what) const;

  double width_mult_ = 1.0;
  std::vector<int64_t> resolutions_;
  int64_t classes_ = 1000;
  int64_t input_channels_ = 3;
  bool small_stem_ = false;
  std::array<int64_t, 9> widths_{};
  std::array<Stage, kStages> stages_{};
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::spaces::ofa_mobilenetv3
