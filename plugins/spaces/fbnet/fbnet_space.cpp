// FBNet space: configuration, block positions, lowering, the layer
// enumeration and the size extremes. The facts and their sources are listed
// in the header and in the space's section of docs/spaces.md.
#include "fbnet_space.hpp"

#include <set>
#include <string>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::spaces::fbnet {

namespace {

constexpr int kStages = 7;
constexpr std::array<int, kStages> kStageBlocks{1, 4, 4, 4, 4, 4, 1};
constexpr std::array<int64_t, kStages> kStageWidths{16, 24, 32, 64, 112, 184, 352};
// HW-NAS-Bench's CIFAR layout keeps the second stage at stride 1 (and the
// stem at stride 1): 32 -> 32, 32, 16, 8, 8, 4, 4. ImageNet is FBNet's own:
// 224 -> 112 (stem), 112, 56, 28, 14, 14, 7, 7.
constexpr std::array<int, kStages> kCifarStrides{1, 1, 2, 2, 1, 2, 1};
constexpr std::array<int, kStages> kImagenetStrides{1, 2, 2, 2, 1, 2, 1};
constexpr int64_t kStemWidth = 16;
constexpr int64_t kCifarHead = 1504;
constexpr int64_t kImagenetHead = 1984;
constexpr int64_t kCifarResolution = 32;
constexpr int64_t kImagenetResolution = 224;
constexpr int64_t kCifarClasses = 100;  // HW-NAS-Bench measures FBNet on CIFAR-100
constexpr int64_t kImagenetClasses = 1000;

int64_t conv_out(int64_t size, int stride) {
  // Odd kernels padded kernel / 2, and 1x1 convolutions unpadded: the kernel cancels.
  return (size - 1) / stride + 1;
}

}  // namespace

std::vector<ConfigKey> FbnetSpace::config_keys() {
  return {
      ConfigKey::choice("input", "cifar", {"cifar", "imagenet"},
                        "Input layout: \"cifar\" (32x32, stem and second stage at stride 1, head 1504, as "
                        "HW-NAS-Bench's CIFAR-100 networks) or \"imagenet\" (224x224, FBNet's layout, head 1984)"),
      ConfigKey::optional("classes", ConfigType::Int,
                          "Output classes of the classifier (absent: 100 for input \"cifar\", CIFAR-100 as in "
                          "HW-NAS-Bench; 1000 for \"imagenet\")")
          .at_least(1),
      ConfigKey::integer("input_channels", 3, "Channels of the input images (3 for RGB)").at_least(1),
  };
}

FbnetSpace::FbnetSpace(const PluginContext& context) {
  const PluginConfig& config = context.config;
  const std::string& input = config.get_string("input");
  if (input != "cifar" && input != "imagenet")
    config.fail("input", "is '" + input + "'; fix: use \"cifar\" (32x32) or \"imagenet\" (224x224)");
  imagenet_ = input == "imagenet";
  resolution_ = imagenet_ ? kImagenetResolution : kCifarResolution;
  head_width_ = imagenet_ ? kImagenetHead : kCifarHead;
  stem_stride_ = imagenet_ ? 2 : 1;
  classes_ = config.has("classes") ? config.get_int("classes") : (imagenet_ ? kImagenetClasses : kCifarClasses);
  if (classes_ < 1) config.fail("classes", "is " + std::to_string(classes_) + "; fix: give at least 1 class");
  input_channels_ = config.get_int("input_channels");
  if (input_channels_ < 1)
    config.fail("input_channels", "is " + std::to_string(input_channels_) + "; fix: use 3 for RGB images or 1 for grey ones");

  const std::array<int, kStages>& strides = imagenet_ ? kImagenetStrides : kCifarStrides;
  int64_t size = conv_out(resolution_, stem_stride_);
  int64_t cin = kStemWidth;
  for (int s = 0; s < kStages; ++s) {
    for (int blk = 0; blk < kStageBlocks[s]; ++blk) {
      BlockPosition p;
      p.stride = blk == 0 ? strides[s] : 1;
      p.in = {cin, size, size};
      size = conv_out(size, p.stride);
      p.out = {kStageWidths[s], size, size};
      cin = kStageWidths[s];
      positions_.push_back(p);
    }
  }

  std::vector<std::string> labels;
  for (const Candidate& c : kCandidates) labels.emplace_back(c.name);
  for (int i = 0; i < kBlocks; ++i) variables_.push_back(nominal_variable("l" + std::to_string(i), labels));
}

void FbnetSpace::append_block(NetworkBuilder& b, int position, int choice) const {
  const BlockPosition& p = positions_[position];
  const bool keeps_shape = p.stride == 1 && p.in.channels == p.out.channels;
  if (choice == kSkip) {
    // HW-NAS-Bench's Skip: a 1x1 convolution where the shape changes.
    if (!keeps_shape) b.conv(p.out.channels, 1, p.stride, 1, true, ActivationKind::ReLU);
    return;
  }
  const Candidate& c = kCandidates[choice];
  const int block_input = b.current();
  b.conv(p.in.channels * c.expansion, 1, 1, c.groups, true, ActivationKind::ReLU);
  if (c.groups > 1) b.channel_shuffle(c.groups);
  b.depthwise(c.kernel, p.stride, true, ActivationKind::ReLU);
  b.conv(p.out.channels, 1, 1, c.groups, true, ActivationKind::None);
  if (keeps_shape) b.add(block_input, b.current());
}

NetworkSpec FbnetSpace::lower(const Architecture& arch) const {
  check(arch);
  NetworkBuilder b("fbnet", TensorShape{input_channels_, resolution_, resolution_});
  b.conv(kStemWidth, 3, stem_stride_, 1, true, ActivationKind::ReLU);
  for (int i = 0; i < kBlocks; ++i) append_block(b, i, arch[i]);
  b.conv(head_width_, 1, 1, 1, true, ActivationKind::ReLU);
  b.global_avg_pool();
  b.linear(classes_, true);
  return std::move(b).finish();
}

NetworkSpec FbnetSpace::lower_block(int position, int choice) const {
  if (position < 0 || position >= kBlocks || choice < 0 || choice >= static_cast<int>(kCandidates.size()))
    throw ArchitectureError("fbnet: block " + std::to_string(position) + " choice " + std::to_string(choice) +
                            " does not exist; fix: use blocks 0..21 and choices 0..8");
  NetworkBuilder b("fbnet:l" + std::to_string(position) + "=" + kCandidates[choice].name, positions_[position].in);
  append_block(b, position, choice);
  return std::move(b).finish();
}

// Why lowering the 9 uniform architectures is exact: every block maps its
// position's fixed input shape to its fixed output shape, so its layers
// depend on its own choice alone, and the stem and head are the same in
// every network. "Every block = candidate X" holds each (position, X) pair;
// every layer found is in a real network (the one lowered).
std::vector<Layer> FbnetSpace::distinct_layers() const {
  std::vector<Layer> layers;
  std::set<std::string> seen;
  for (int c = 0; c < static_cast<int>(kCandidates.size()); ++c) {
    for (Layer& layer : lower(Architecture(kBlocks, c)).layers) {
      if (seen.insert(layer.key()).second) layers.push_back(std::move(layer));
    }
  }
  return layers;
}

// A network's cost is the fixed stem and head plus each block's own cost, so
// the per-position best choice (MACs first, then parameters) is the global one.
Architecture FbnetSpace::extreme(bool most) const {
  Architecture arch(kBlocks, 0);
  for (int i = 0; i < kBlocks; ++i) {
    NetworkCost best = count_cost(lower_block(i, 0));
    for (int c = 1; c < static_cast<int>(kCandidates.size()); ++c) {
      const NetworkCost cost = count_cost(lower_block(i, c));
      const bool fewer = cost.macs < best.macs || (cost.macs == best.macs && cost.params < best.params);
      const bool more = cost.macs > best.macs || (cost.macs == best.macs && cost.params > best.params);
      if (most ? more : fewer) {
        best = cost;
        arch[i] = c;
      }
    }
  }
  return arch;
}

Architecture FbnetSpace::smallest() const { return extreme(false); }
Architecture FbnetSpace::largest() const { return extreme(true); }

// Every candidate lowers to different layers at every position (skip at the
// first position is the identity, which no other candidate is), so the
// 9^22 choice vectors are 9^22 different networks.
std::string FbnetSpace::distinct_networks() const { return "984770902183611232881"; }

}  // namespace nasctl::spaces::fbnet
