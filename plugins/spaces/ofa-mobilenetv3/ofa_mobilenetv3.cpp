// OFA MobileNetV3: configuration, structure and lowering. The network is the
// one DyNAS-T evaluates (see DESIGN.md section 3); every width the lowering
// needs is computed once in the constructor so lower() only appends layers.
#include "ofa_mobilenetv3.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "nasctl/error.hpp"

namespace nasctl::spaces::ofa_mobilenetv3 {

int64_t make_divisible(double value) {
  // Python: max(8, int(v + 4) // 8 * 8), plus 8 when that lost over 10%.
  int64_t n = std::max<int64_t>(8, static_cast<int64_t>(value + 4.0) / 8 * 8);
  if (static_cast<double>(n) < 0.9 * value) n += 8;
  return n;
}

namespace {

constexpr std::array<int64_t, 9> kBaseWidths{16, 16, 24, 40, 80, 112, 160, 960, 1280};
// Width multipliers: Once-for-All publishes super-networks for 1.0 and 1.2;
// its code builds any width, and the usual narrower MobileNetV3 multipliers
// give small super-networks of the same design (a few-MB test checkpoint
// made with OFA's own code is w0.35, tests/fixtures/ofa).
constexpr std::array<double, 5> kWidths{0.35, 0.5, 0.75, 1.0, 1.2};
constexpr std::array<int, OfaMobileNetV3::kStages> kStrides{2, 2, 2, 1, 2};

// The small stem for 28x28 / 32x32 inputs (Fashion-MNIST, CIFAR): the first
// convolution and the first stage keep stride 1, so the network reduces by 8
// instead of 32. ImageNet's layout reduces 224 to 7; at 28 it would reach
// 1x1 after the third stage, and the 5x5 and 7x7 depthwise kernels of the
// last two stages would see padding around a single pixel, so their kernel
// choices would hardly matter. With stride 8 the maps are 28 -> 28 -> 14 ->
// 7 -> 7 -> 4 (stem, stages 1..5): the last stage works on 4x4, as a 7x7
// kernel works on ImageNet's 7x7 (the same reduction CIFAR versions of
// MobileNetV2 make: first convolution and one stride-2 stage at stride 1).
// Which stage keeps stride 1: the first, whose maps are then 28x28 at 24w
// channels; the tensors do not depend on strides, so a small-stem
// super-network has the ImageNet one's tensors (with input_channels = 3 an
// OFA checkpoint loads into it).
constexpr int kSmallStemStride = 1;
constexpr std::array<int, OfaMobileNetV3::kStages> kSmallStrides{1, 2, 2, 1, 2};
// Resolutions each stem takes: OFA trains ImageNet at 128..224 in steps of
// 4; the small stem (total stride 8) serves 16..64 (4x4 to 8x8 at the last
// stage at 32..64; 16 keeps 2x2).
constexpr int64_t kImagenetMinResolution = 128;
constexpr int64_t kImagenetMaxResolution = 224;
constexpr int64_t kSmallMinResolution = 16;
constexpr int64_t kSmallMaxResolution = 64;
constexpr std::array<bool, OfaMobileNetV3::kStages> kSqueezeExcite{false, true, false, true, true};
constexpr std::array<ActivationKind, OfaMobileNetV3::kStages> kActivations{
    ActivationKind::ReLU, ActivationKind::ReLU, ActivationKind::HardSwish, ActivationKind::HardSwish,
    ActivationKind::HardSwish};

std::vector<double> as_doubles(const std::array<int, 3>& values) {
  return {static_cast<double>(values[0]), static_cast<double>(values[1]), static_cast<double>(values[2])};
}

std::string number_text(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

std::vector<ConfigKey> OfaMobileNetV3::config_keys() {
  return {
      ConfigKey::real("width", 1.0,
                      "Width multiplier of the super-network: 1.0 or 1.2 (OFA's published ones), or 0.35, 0.5, 0.75"),
      ConfigKey::list("resolutions", ConfigType::IntList, std::vector<int64_t>{224},
                      "Input resolutions the search may choose: 128..224 in multiples of 4 with stem \"imagenet\", "
                      "16..64 with stem \"small\" (e.g. [28] for Fashion-MNIST, [32] for CIFAR)")
          .at_least(static_cast<double>(kSmallMinResolution))
          .at_most(static_cast<double>(kImagenetMaxResolution)),
      ConfigKey::integer("classes", 1000, "Number of output classes of the classifier").at_least(1),
      ConfigKey::integer("input_channels", 3,
                         "Channels of the input images: 3 (RGB, OFA's checkpoints), 1 for grey images such as "
                         "Fashion-MNIST")
          .at_least(1),
      ConfigKey::choice("stem", "imagenet", {"imagenet", "small"},
                        "Layout: \"imagenet\" (OFA's: stride-2 first convolution, total stride 32, resolutions "
                        "128..224) or \"small\" for 28x28/32x32 inputs (first convolution and first stage at stride "
                        "1, total stride 8: 28 -> 4x4 at the last stage; resolutions 16..64)"),
  };
}

OfaMobileNetV3::OfaMobileNetV3(const PluginContext& context) {
  const PluginConfig& config = context.config;
  width_mult_ = config.get_double("width");
  const bool known_width = std::any_of(kWidths.begin(), kWidths.end(),
                                       [&](double w) { return std::abs(width_mult_ - w) < 1e-9; });
  if (!known_width)
    config.fail("width", "is " + number_text(width_mult_) +
                             "; OFA MobileNetV3 super-networks are published for widths 1.0 and 1.2, and 0.35, 0.5 and "
                             "0.75 build narrower ones of the same design; fix: set width = 1.0 or 1.2 (or 0.35, 0.5, "
                             "0.75)");

  const std::string& stem = config.get_string("stem");
  if (stem != "imagenet" && stem != "small")
    config.fail("stem", "is '" + stem + "'; fix: use \"imagenet\" (224x224 images) or \"small\" (28x28, 32x32)");
  small_stem_ = stem == "small";
  input_channels_ = config.get_int("input_channels");
  if (input_channels_ < 1)
    config.fail("input_channels", "is " + std::to_string(input_channels_) +
                                      "; fix: use 3 for colour images (OFA's checkpoints) or 1 for grey ones");

  const std::vector<int64_t>& resolutions = config.get_ints("resolutions");
  if (resolutions.empty())
    config.fail("resolutions", std::string("is empty; fix: give at least one resolution, e.g. ") +
                                   (small_stem_ ? "[28]" : "[224]"));
  std::set<int64_t> seen;
  for (int64_t r : resolutions) {
    if (small_stem_ && (r < kSmallMinResolution || r > kSmallMaxResolution))
      config.fail("resolutions", "has " + std::to_string(r) +
                                     "; the small stem (total stride 8) takes 16..64; fix: use e.g. [28] (Fashion-MNIST) "
                                     "or [32], or set stem = \"imagenet\" for 128..224");
    if (!small_stem_ && (r < kImagenetMinResolution || r > kImagenetMaxResolution || r % 4 != 0))
      config.fail("resolutions", "has " + std::to_string(r) +
                                     "; OFA trains resolutions 128..224 in steps of 4; fix: use e.g. 160, 192 or 224, "
                                     "or set stem = \"small\" for 28x28 or 32x32 inputs");
    if (!seen.insert(r).second)
      config.fail("resolutions", "lists " + std::to_string(r) + " twice; fix: list each resolution once");
  }
  resolutions_ = resolutions;

  classes_ = config.get_int("classes");
  if (classes_ < 1) config.fail("classes", "is " + std::to_string(classes_) + "; fix: give at least 1 class");

  for (std::size_t i = 0; i < widths_.size(); ++i)
    widths_[i] = make_divisible(static_cast<double>(kBaseWidths[i]) * width_mult_);

  int64_t cin = widths_[1];
  for (int s = 0; s < kStages; ++s) {
    Stage& st = stages_[s];
    st.width = widths_[2 + s];
    st.stride = small_stem_ ? kSmallStrides[s] : kStrides[s];
    st.se = kSqueezeExcite[s];
    st.act = kActivations[s];
    for (int c = 0; c < 3; ++c) {
      st.mid_first[c] = make_divisible(static_cast<double>(cin * kExpands[c]));
      st.mid_rest[c] = make_divisible(static_cast<double>(st.width * kExpands[c]));
      st.se_first[c] = make_divisible(static_cast<double>(st.mid_first[c] / 4));
      st.se_rest[c] = make_divisible(static_cast<double>(st.mid_rest[c] / 4));
    }
    cin = st.width;
  }

  variables_.reserve(kVariables);
  for (int i = 0; i < kSlots; ++i) variables_.push_back(numeric_variable("ks" + std::to_string(i), as_doubles(kKernels)));
  for (int i = 0; i < kSlots; ++i) variables_.push_back(numeric_variable("e" + std::to_string(i), as_doubles(kExpands)));
  for (int i = 0; i < kStages; ++i) variables_.push_back(numeric_variable("d" + std::to_string(i), as_doubles(kDepths)));
  variables_.push_back(numeric_variable("r", std::vector<double>(resolutions_.begin(), resolutions_.end())));
}

NetworkSpec OfaMobileNetV3::lower(const Architecture& arch) const {
  check(arch);
  const int64_t resolution = resolutions_[arch[kRIndex]];
  NetworkBuilder b("ofa-mobilenetv3", TensorShape{input_channels_, resolution, resolution});

  // Stem and the fixed first block (depthwise-separable, identity shortcut).
  b.conv(widths_[0], 3, small_stem_ ? kSmallStemStride : 2, 1, true, ActivationKind::HardSwish);
  const int stem = b.current();
  b.depthwise(3, 1, true, ActivationKind::ReLU);
  b.conv(widths_[1], 1, 1, 1, true, ActivationKind::None);
  if (widths_[0] == widths_[1]) b.add(stem, b.current());

  int64_t cin = widths_[1];
  for (int s = 0; s < kStages; ++s) {
    const Stage& st = stages_[s];
    const int blocks = depth(arch, s);
    for (int blk = 0; blk < blocks; ++blk) {
      const int slot = s * kSlotsPerStage + blk;
      const int kernel = kKernels[arch[kKsBase + slot]];
      const int e = arch[kEBase + slot];
      const bool first = blk == 0;
      const int stride = first ? st.stride : 1;
      const int block_input = b.current();
      // MBConv: expand 1x1, depthwise kxk, optional SE, project 1x1.
      b.conv(first ? st.mid_first[e] : st.mid_rest[e], 1, 1, 1, true, st.act);
      b.depthwise(kernel, stride, true, st.act);
      if (st.se) b.squeeze_excite(first ? st.se_first[e] : st.se_rest[e]);
      b.conv(st.width, 1, 1, 1, true, ActivationKind::None);
      if (stride == 1 && cin == st.width) b.add(block_input, b.current());
      cin = st.width;
    }
  }

  // Head: final expand, pool, feature mix (a 1x1 conv on the pooled 1x1
  // tensor, no BN, no bias), classifier.
  b.conv(widths_[7], 1, 1, 1, true, ActivationKind::HardSwish);
  b.global_avg_pool();
  b.conv(widths_[8], 1, 1, 1, false, ActivationKind::HardSwish);
  b.linear(classes_, true);
  return std::move(b).finish();
}

Architecture OfaMobileNetV3::canonicalize(const Architecture& arch) const {
  check(arch);
  Architecture out = arch;
  for (int slot = 0; slot < kSlots; ++slot) {
    if (active(out, slot)) continue;
    out[kKsBase + slot] = 0;
    out[kEBase + slot] = 0;
  }
  return out;
}

Architecture OfaMobileNetV3::smallest() const {
  Architecture arch(kVariables, 0);
  arch[kRIndex] = static_cast<int>(std::min_element(resolutions_.begin(), resolutions_.end()) - resolutions_.begin());
  return arch;
}

Architecture OfaMobileNetV3::largest() const {
  Architecture arch(kVariables, static_cast<int>(kKernels.size()) - 1);  // ks, e and d: 3 choices each
  arch[kRIndex] = static_cast<int>(std::max_element(resolutions_.begin(), resolutions_.end()) - resolutions_.begin());
  return arch;
}

std::string OfaMobileNetV3::distinct_networks() const {
  using boost::multiprecision::cpp_int;
  const cpp_int pairs = static_cast<unsigned>(kKernels.size() * kExpands.size());  // (ks, e) settings of one slot
  cpp_int per_stage = 0;
  for (int d : kDepths) per_stage += boost::multiprecision::pow(pairs, static_cast<unsigned>(d));
  const cpp_int count = boost::multiprecision::pow(per_stage, kStages) * static_cast<unsigned>(resolutions_.size());
  return count.str();
}

// Encoding for predictors (ridge regression in particular): one-hot of ks and
// e for the active slots only, all zeros for unused slots, then one-hot depth
// per stage and one-hot resolution. The generic one-hot would also encode the
// kernel/expand choices of unused slots, which do not change the network:
// they are pure noise to a linear model and make equal networks look different.
// Zeroing them keeps every feature meaningful, and the depth one-hot says
// which slots are present. Same length as the generic encoding.
std::vector<double> OfaMobileNetV3::encode(const Architecture& arch) const {
  check(arch);
  std::vector<double> x(encoding_size(), 0.0);
  for (int slot = 0; slot < kSlots; ++slot) {
    if (!active(arch, slot)) continue;
    x[3 * slot + arch[kKsBase + slot]] = 1.0;
    x[3 * (kSlots + slot) + arch[kEBase + slot]] = 1.0;
  }
  std::size_t offset = 3 * 2 * kSlots;
  for (int s = 0; s < kStages; ++s, offset += 3) x[offset + arch[kDBase + s]] = 1.0;
  x[offset + arch[kRIndex]] = 1.0;
  return x;
}

}  // namespace nasctl::spaces::ofa_mobilenetv3

namespace nasctl::spaces::ofa_mobilenetv3 {

// Why lowering 9 architectures per resolution is exact: a block's layers
// depend only on its stage, on whether it is the stage's first block (input
// width, stride, shortcut), on its own (ks, e) and on the resolution; the
// stem, first block and head depend on the resolution alone. Blocks 2..4 of
// a stage are identical to block 1 given (ks, e) (same input, stride 1,
// shortcut). So "every slot = (ks, e), every depth = 2, resolution r" holds,
// for each stage, the first-block and the later-block variant of (ks, e) at
// r; the 9 (ks, e) pairs per resolution cover every signature, and every
// layer found is in a real network (the one lowered). tests/hardware checks
// both directions against random sub-networks.
std::vector<Layer> OfaMobileNetV3::distinct_layers() const {
  std::vector<Layer> layers;
  std::set<std::string> seen;
  for (int r = 0; r < static_cast<int>(resolutions_.size()); ++r) {
    for (int k = 0; k < static_cast<int>(kKernels.size()); ++k) {
      for (int e = 0; e < static_cast<int>(kExpands.size()); ++e) {
        Architecture arch(kVariables, 0);
        for (int slot = 0; slot < kSlots; ++slot) {
          arch[kKsBase + slot] = k;
          arch[kEBase + slot] = e;
        }
        arch[kRIndex] = r;
        for (Layer& layer : lower(arch).layers) {
          if (seen.insert(layer.key()).second) layers.push_back(std::move(layer));
        }
      }
    }
  }
  return layers;
}

}  // namespace nasctl::spaces::ofa_mobilenetv3

// The WeightSharing face (nasctl::supernet); the file says why it is included.
#include "ofa_weight_sharing.ipp"
