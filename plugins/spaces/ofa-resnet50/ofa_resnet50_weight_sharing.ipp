// OFA ResNet50 as a weight-sharing super-network (nasctl/weight_sharing.hpp):
// the tensors of once-for-all's OFAResNets(depth_list=[0, 1, 2],
// expand_ratio_list=[0.2, 0.25, 0.35], width_mult_list=width_mults) under
// the names its state_dict() gives them (once-for-all commit f03b267,
// ofa/imagenet_classification/elastic_nn/networks/ofa_resnets.py and
// modules/dynamic_layers.py), and which slice of each a sub-network uses:
// - input_stem.0 (3x3 s2) and input_stem.1.conv (the skippable residual
//   3x3) take the first stem_mid(w[0]) output channels, input_stem.2 the
//   first stem_out(w[1]); input_stem.1 is bound only where lower() keeps it
//   (d[0] = 2: OFA skips it whenever d[0] is not the largest depth);
// - block slot i is OFA's blocks.i (stage s holds base depth + 2 slots, the
//   first d of them used): conv1, conv2 and conv3 take the first `mid`
//   middle channels (mid = make_divisible(round(width * e))) and the first
//   stage-width output / input channels; each stage's first block has a
//   downsample branch (avg pool, which holds no tensor, then a 1x1 conv with
//   batch norm), cut the same way;
// - classifier.linear.linear takes the first input features.
// OFA cuts by position only: DynamicConv2d.get_active_filter and
// DynamicBatchNorm2d take the leading channels, and channels are re-sorted by
// importance (re_organize_middle_weights; channel_groups() below) only
// between training phases, never when a sub-network runs, so a checkpoint's
// order is the one used.
// Older releases of once-for-all named the tensors without the elastic
// modules' inner module; OFAResNets.load_state_dict maps those names
// (".bn." -> ".bn.bn.", "conv.weight" -> "conv.conv.weight",
// ".linear." -> ".linear.linear."), and they are the aliases below.
//
// Compiled as part of ofa_resnet50.cpp (which includes this file once): that
// translation unit holds the class's vtable, and several test and benchmark
// targets compile the space's sources directly, so a separate source file
// would have to be listed in each of them.
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "ofa_resnet50.hpp"

namespace nasctl::spaces::ofa_resnet50 {

// Named, so its helpers cannot clash with ofa_resnet50.cpp's own.
namespace weight_sharing {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// The older name OFAResNets.load_state_dict maps onto `name` (one each: a
// tensor is a batch norm's, a convolution's or the classifier's).
std::vector<std::string> ofa_aliases(const std::string& name) {
  if (name.find(".bn.bn.") != std::string::npos) return {replace_first(name, ".bn.bn.", ".bn.")};
  if (ends_with(name, ".conv.conv.weight"))
    return {name.substr(0, name.size() - std::string(".conv.conv.weight").size()) + ".conv.weight"};
  if (name.find(".linear.linear.") != std::string::npos) return {replace_first(name, ".linear.linear.", ".linear.")};
  return {};
}

// The module names of one tensor-holding layer of a sub-network: a
// convolution with batch norm (`prefix`conv.conv.weight, `prefix`bn.bn.*)
// or the classifier.
struct Module {
  OpKind op = OpKind::Conv2d;
  std::string prefix;
};

void add_conv(std::vector<SharedTensor>& out, const std::string& prefix, std::vector<int64_t> shape) {
  const int64_t channels = shape[0];
  out.push_back({prefix + "conv.conv.weight", std::move(shape), SharedTensorKind::ConvWeight, {}});
  const std::string bn = prefix + "bn.bn.";
  out.push_back({bn + "weight", {channels}, SharedTensorKind::BatchNormScale, {}});
  out.push_back({bn + "bias", {channels}, SharedTensorKind::BatchNormShift, {}});
  out.push_back({bn + "running_mean", {channels}, SharedTensorKind::BatchNormMean, {}});
  out.push_back({bn + "running_var", {channels}, SharedTensorKind::BatchNormVariance, {}});
}

std::string block_prefix(int slot) { return "blocks." + std::to_string(slot) + "."; }

void bind_module(std::vector<TensorBinding>& out, int layer, const Layer& l, const Module& m,
                 const std::string& supernet) {
  auto fail = [&](const std::string& what) {
    throw Error(supernet + ": layer " + std::to_string(layer) + " (" + l.key() + ") " + what +
                "; fix: this is a bug in the ofa-resnet50 space, report it");
  };
  if (l.op != m.op) fail(std::string("is a ") + to_string(l.op) + " where OFA has a " + to_string(m.op));
  if (l.op == OpKind::Linear) {
    if (!l.bias) fail("lacks OFA's classifier bias");
    out.push_back({layer, TensorRole::Weight, m.prefix + "weight", {}});
    out.push_back({layer, TensorRole::Bias, m.prefix + "bias", {}});
    return;
  }
  if (l.bias || !l.batch_norm) fail("is not a convolution with batch norm and no bias, as OFA's are");
  const std::string bn = m.prefix + "bn.bn.";
  out.push_back({layer, TensorRole::Weight, m.prefix + "conv.conv.weight", {}});
  out.push_back({layer, TensorRole::BatchNormScale, bn + "weight", {}});
  out.push_back({layer, TensorRole::BatchNormShift, bn + "bias", {}});
  out.push_back({layer, TensorRole::BatchNormMean, bn + "running_mean", {}});
  out.push_back({layer, TensorRole::BatchNormVariance, bn + "running_var", {}});
}

}  // namespace
}  // namespace weight_sharing

std::string OfaResNet50::supernet_name() const {
  auto text = [](double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s += '0';
    return s;
  };
  return "ofa-resnet50 super-network (widths " + text(width_mults_[0]) + "/" + text(width_mults_[1]) + "/" +
         text(width_mults_[2]) + ", " + std::to_string(classes_) + " classes)";
}

// In the order of OFAResNets.state_dict(): stem, blocks (conv1, conv2,
// conv3, then a first block's downsample), classifier; every tensor at the
// largest width (index 2, the multipliers being ascending) and e = 0.35.
std::vector<SharedTensor> OfaResNet50::shared_tensors() const {
  using namespace weight_sharing;
  constexpr int kWidest = 2;
  const int largest_expand = static_cast<int>(kExpandPercents.size()) - 1;
  std::vector<SharedTensor> out;
  const int64_t stem_mid = stem_mid_[kWidest];
  add_conv(out, "input_stem.0.", {stem_mid, 3, 3, 3});
  add_conv(out, "input_stem.1.conv.", {stem_mid, stem_mid, 3, 3});
  add_conv(out, "input_stem.2.", {stem_out_[kWidest], stem_mid, 3, 3});
  int64_t cin = stem_out_[kWidest];
  for (int s = 0; s < kStages; ++s) {
    const int64_t width = stage_width_[s][kWidest];
    const int64_t mid = mid_[s][kWidest][largest_expand];
    for (int blk = 0; blk < kBaseDepths[s] + kDepths.back(); ++blk) {
      const std::string block = block_prefix(kSlotBase[s] + blk);
      add_conv(out, block + "conv1.", {mid, cin, 1, 1});
      add_conv(out, block + "conv2.", {mid, mid, 3, 3});
      add_conv(out, block + "conv3.", {width, mid, 1, 1});
      if (blk == 0) add_conv(out, block + "downsample.", {width, cin, 1, 1});
      cin = width;
    }
  }
  out.push_back({"classifier.linear.linear.weight", {classes_, cin}, SharedTensorKind::LinearWeight, {}});
  out.push_back({"classifier.linear.linear.bias", {classes_}, SharedTensorKind::Bias, {}});
  for (SharedTensor& t : out) t.aliases = ofa_aliases(t.name);
  return out;
}

std::vector<ChannelGroup> OfaResNet50::channel_groups() const {
  using namespace weight_sharing;
  std::vector<ChannelGroup> groups;
  // The middle channels between `from`'s output and `to`'s input.
  auto group = [&](const std::string& block, const std::string& from, const std::string& to) {
    const ChannelAxis input{block + to + "conv.conv.weight", 1};
    ChannelGroup g;
    g.name = block + from.substr(0, from.size() - 1) + " output channels";
    g.axes.push_back({block + from + "conv.conv.weight", 0});
    for (const char* t : {"weight", "bias", "running_mean", "running_var"})
      g.axes.push_back({block + from + "bn.bn." + t, 0});
    g.axes.push_back(input);
    g.importance = {input};
    groups.push_back(std::move(g));
  };
  for (int s = 0; s < kStages; ++s) {
    for (int blk = 0; blk < kBaseDepths[s] + kDepths.back(); ++blk) {
      const std::string block = block_prefix(kSlotBase[s] + blk);
      group(block, "conv2.", "conv3.");
      group(block, "conv1.", "conv2.");
    }
  }
  return groups;
}

std::vector<TensorBinding> OfaResNet50::bind(const Architecture& arch, const NetworkSpec& spec) const {
  using namespace weight_sharing;
  check(arch);
  // The tensor-holding layers of lower(arch), in its order: lower() puts a
  // first block's downsample branch before the block's own convolutions.
  std::vector<Module> modules;
  modules.push_back({OpKind::Conv2d, "input_stem.0."});
  if (stem_residual(arch)) modules.push_back({OpKind::Conv2d, "input_stem.1.conv."});
  modules.push_back({OpKind::Conv2d, "input_stem.2."});
  for (int s = 0; s < kStages; ++s) {
    for (int blk = 0; blk < depth(arch, s); ++blk) {
      const std::string block = block_prefix(kSlotBase[s] + blk);
      if (blk == 0) modules.push_back({OpKind::Conv2d, block + "downsample."});
      for (const char* conv : {"conv1.", "conv2.", "conv3."}) modules.push_back({OpKind::Conv2d, block + conv});
    }
  }
  modules.push_back({OpKind::Linear, "classifier.linear.linear."});

  std::vector<TensorBinding> out;
  std::size_t next = 0;
  for (int i = 0; i < static_cast<int>(spec.layers.size()); ++i) {
    const Layer& l = spec.layers[i];
    if (layer_tensors(l).empty()) continue;
    if (next == modules.size())
      throw Error(supernet_name() + ": the network has more weighted layers than OFA's; fix: this is a bug in the "
                  "ofa-resnet50 space, report it");
    bind_module(out, i, l, modules[next++], supernet_name());
  }
  if (next != modules.size())
    throw Error(supernet_name() + ": the network has fewer weighted layers than OFA's; fix: this is a bug in the "
                "ofa-resnet50 space, report it");
  return out;
}

}  // namespace nasctl::spaces::ofa_resnet50
