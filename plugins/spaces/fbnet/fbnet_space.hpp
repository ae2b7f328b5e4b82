// The FBNet search space as HW-NAS-Bench defines it (Li et al., ICLR 2021,
// after Wu et al., "FBNet", CVPR 2019): 22 searchable blocks, each one of 9
// candidates, at CIFAR-100 (32x32) or ImageNet (224x224) input size.
//
// Macro structure (HW-NAS-Bench's FBNet model; FBNet's Table 1 for ImageNet):
//   stem      3x3 conv, 3 -> 16, stride 1 (cifar) or 2 (imagenet), BN, ReLU
//   stages    widths [16, 24, 32, 64, 112, 184, 352], blocks [1, 4, 4, 4, 4, 4, 1],
//             strides [1, 1, 2, 2, 1, 2, 1] (cifar) or [1, 2, 2, 2, 1, 2, 1]
//             (imagenet); a stage's first block has its stride and reads the
//             previous width (the stem's 16 for the first), the others stride 1
//   head      1x1 conv 352 -> 1504 (cifar) or 1984 (imagenet), BN, ReLU;
//             global average pool; linear -> classes, with bias
//
// Candidates k<3|5>_e<1|3|6>[_g2]: 1x1 conv cin -> cin*e (groups g) + BN +
// ReLU, channel shuffle (g = 2 only), depthwise kxk (the block's stride) +
// BN + ReLU, 1x1 conv -> cout (groups g) + BN; identity shortcut when the
// stride is 1 and cin = cout. The expansion conv is there for e = 1 too.
// `skip`: the identity where the shape is kept, else 1x1 conv (stride) + BN
// + ReLU. Every choice vector is a valid network: 9^22 architectures.
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

namespace nasctl::spaces::fbnet {

// One of the 9 candidate blocks; index = choice index = HW-NAS-Bench's op index.
struct Candidate {
  const char* name;
  int kernel;     // depthwise kernel (0 for skip)
  int expansion;  // mid = cin * expansion (0 for skip)
  int groups;     // of both 1x1 convolutions
};

inline constexpr std::array<Candidate, 9> kCandidates{{
    {"k3_e1", 3, 1, 1},
    {"k3_e1_g2", 3, 1, 2},
    {"k3_e3", 3, 3, 1},
    {"k3_e6", 3, 6, 1},
    {"k5_e1", 5, 1, 1},
    {"k5_e1_g2", 5, 1, 2},
    {"k5_e3", 5, 3, 1},
    {"k5_e6", 5, 6, 1},
    {"skip", 0, 0, 1},
}};
inline constexpr int kSkip = 8;

// Where a searchable block sits: its input and output shapes and its stride.
struct BlockPosition {
  TensorShape in;
  TensorShape out;
  int stride = 1;
};

class FbnetSpace : public SearchSpace, public LayerEnumerable, public SizeExtremes {
 public:
  static constexpr int kBlocks = 22;

  explicit FbnetSpace(const PluginContext& context);
  // input, classes, input_channels; describe() exports them.
  static std::vector<ConfigKey> config_keys();

  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture& arch) const override;

  // Canonical form: the 22 op names separated by '|', e.g.
  // "k5_e6|skip|k3_e1_g2|...". parse() also takes HW-NAS-Bench's lists:
  // op_idx_list "[0, 3, 8, ...]" and arch_str "['k3_e1', 'k3_e6', ...]".
  std::string to_string(const Architecture& arch) const override;
  Architecture parse(std::string_view text) const override;

  // LayerEnumerable (nasctl lut build): every distinct layer of the space.
  std::vector<Layer> distinct_layers() const override;

  // SizeExtremes (nasctl space info). Choice vectors and networks coincide.
  Architecture smallest() const override;
  Architecture largest() const override;
  std::string distinct_networks() const override;

  // One block alone, on its position's input shape (empty for an identity skip).
  NetworkSpec lower_block(int position, int choice) const;
  const std::vector<BlockPosition>& positions() const { return positions_; }

  bool imagenet() const { return imagenet_; }
  int64_t resolution() const { return resolution_; }
  int64_t classes() const { return classes_; }
  int64_t input_channels() const { return input_channels_; }
  int64_t head_width() const { return head_width_; }
  int stem_stride() const { return stem_stride_; }

 private:
  void append_block(NetworkBuilder& b, int position, int choice) const;
  // Per position, the choice with the fewest (or most) MACs, then params.
  Architecture extreme(bool most) const;

  bool imagenet_ = false;
  int64_t resolution_ = 32;
  int64_t classes_ = 100;
  int64_t input_channels_ = 3;
  int64_t head_width_ = 1504;
  int stem_stride_ = 1;
  std::vector<BlockPosition> positions_;
  std::vector<DecisionVariable> variables_;
};

}  // namespace nasctl::spaces::fbnet
