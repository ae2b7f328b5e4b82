// OFA MobileNetV3 as a weight-sharing super-network (nasctl/weight_sharing.hpp):
// the tensors of once-for-all's OFAMobileNetV3(ks_list=[3, 5, 7],
// expand_ratio_list=[3, 4, 6], depth_list=[2, 3, 4]) under the names its
// state_dict() gives them (once-for-all commit f03b267,
// ofa/imagenet_classification/elastic_nn), and which slice of each a
// sub-network uses:
// - first_conv, blocks.0 (the fixed first block), final_expand_layer,
//   feature_mix_layer and classifier are static modules, used whole
//   (first_conv takes `input_channels`, 3 in OFA; the small stem's strides
//   change no tensor);
// - block slot 4s + b is OFA's blocks.(1 + 4s + b), a DynamicMBConvLayer:
//   expand, depthwise, SE and project tensors take the first `mid` channels
//   (mid = make_divisible(cin * e)), the SE its first make_divisible(mid / 4)
//   hidden channels, and a depthwise kernel k < 7 is the centre passed
//   through 7to5_matrix and, for k = 3, then 5to3_matrix;
// - a stage of depth d uses its first d blocks (lower() lists no others);
// - channel groups (sorted by importance before width phases, as OFA's
//   re_organize_middle_weights does): each block's middle channels, by the
//   L1 norm of the projection's input channels, and its SE hidden channels,
//   by the input channels of the SE's fc.expand.
// Older releases of once-for-all named the same tensors differently; the
// aliases below are the names its OFAMobileNetV3.load_state_dict accepts.
//
// Compiled as part of ofa_mobilenetv3.cpp (which includes this file once):
// that translation unit holds the class's vtable, and a dozen test and
// benchmark targets compile the space's sources directly, so a separate
// source file would have to be listed in each of them.
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "ofa_mobilenetv3.hpp"

namespace nasctl::spaces::ofa_mobilenetv3 {

// Named, so its helpers cannot clash with ofa_mobilenetv3.cpp's own.
namespace weight_sharing {
namespace {

constexpr int kMaxKernel = 7;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// The names once-for-all's OFAMobileNetV3.load_state_dict maps onto `name`:
// the same key with the elastic modules' inner module (".bn.bn.",
// ".conv.conv.weight", ".linear.linear.") present or absent, and blocks
// called "mobile_inverted_conv" instead of "conv".
std::vector<std::string> ofa_aliases(const std::string& name) {
  std::vector<std::string> forms{name};
  if (contains(name, ".bn.bn."))
    forms.push_back(replace_all(name, ".bn.bn.", ".bn."));
  else if (contains(name, ".bn."))
    forms.push_back(replace_all(name, ".bn.", ".bn.bn."));
  if (contains(name, ".conv.conv.weight"))
    forms.push_back(replace_all(name, ".conv.conv.weight", ".conv.weight"));
  else if (contains(name, ".conv.weight"))
    forms.push_back(replace_all(name, ".conv.weight", ".conv.conv.weight"));
  if (contains(name, ".linear."))
    forms.push_back(replace_all(name, ".linear.", ".linear.linear."));
  const std::size_t base = forms.size();
  for (std::size_t i = 0; i < base; ++i) {
    const std::size_t dot = forms[i].find('.', std::string("blocks.").size());
    if (forms[i].rfind("blocks.", 0) == 0 && forms[i].compare(dot, 6, ".conv.") == 0)
      forms.push_back(forms[i].substr(0, dot) + ".mobile_inverted_conv." + forms[i].substr(dot + 6));
  }
  return std::vector<std::string>(forms.begin() + 1, forms.end());
}

// Module names of one tensor-holding layer of a sub-network.
struct Module {
  OpKind op = OpKind::Conv2d;
  std::string weight;        // Conv2d, Linear
  std::string bias;          // Linear
  std::string batch_norm;    // prefix of weight/bias/running_mean/running_var; empty: none
  std::string se;            // SqueezeExcite: prefix of fc.reduce / fc.expand
  std::vector<KernelStep> kernel_steps;
};

Module conv(std::string weight, std::string batch_norm) {
  Module m;
  m.weight = std::move(weight);
  m.batch_norm = std::move(batch_norm);
  return m;
}

std::string block_prefix(int slot) { return "blocks." + std::to_string(1 + slot) + ".conv."; }

// An elastic depthwise kernel k: from 7, step by step through OFA's matrices.
std::vector<KernelStep> kernel_steps(const std::string& block, int kernel) {
  std::vector<KernelStep> steps;
  const std::string matrices = block + "depth_conv.conv.";
  if (kernel <= 5) steps.push_back({5, matrices + "7to5_matrix"});
  if (kernel <= 3) steps.push_back({3, matrices + "5to3_matrix"});
  return steps;
}

void add_batch_norm(std::vector<SharedTensor>& out, const std::string& prefix, int64_t channels) {
  out.push_back({prefix + "weight", {channels}, SharedTensorKind::BatchNormScale, {}});
  out.push_back({prefix + "bias", {channels}, SharedTensorKind::BatchNormShift, {}});
  out.push_back({prefix + "running_mean", {channels}, SharedTensorKind::BatchNormMean, {}});
  out.push_back({prefix + "running_var", {channels}, SharedTensorKind::BatchNormVariance, {}});
}

void add_conv(std::vector<SharedTensor>& out, const std::string& weight, std::vector<int64_t> shape,
              const std::string& batch_norm) {
  const int64_t channels = shape[0];
  out.push_back({weight, std::move(shape), SharedTensorKind::ConvWeight, {}});
  if (!batch_norm.empty()) add_batch_norm(out, batch_norm, channels);
}

void bind_module(std::vector<TensorBinding>& out, int layer, const Layer& l, const Module& m,
                 const std::string& supernet) {
  auto fail = [&](const std::string& what) {
    throw Error(supernet + ": layer " + std::to_string(layer) + " (" + l.key() + ") " + what +
                "; fix: this is a bug in the ofa-mobilenetv3 space, report it");
  };
  if (l.op != m.op) fail(std::string("is a ") + to_string(l.op) + " where OFA has a " + to_string(m.op));
  if (l.op == OpKind::SqueezeExcite) {
    out.push_back({layer, TensorRole::SqueezeWeight, m.se + "fc.reduce.weight", {}});
    out.push_back({layer, TensorRole::SqueezeBias, m.se + "fc.reduce.bias", {}});
    out.push_back({layer, TensorRole::ExciteWeight, m.se + "fc.expand.weight", {}});
    out.push_back({layer, TensorRole::ExciteBias, m.se + "fc.expand.bias", {}});
    return;
  }
  out.push_back({layer, TensorRole::Weight, m.weight, l.op == OpKind::Conv2d ? m.kernel_steps : std::vector<KernelStep>{}});
  if (l.bias != !m.bias.empty()) fail(l.bias ? "has a bias OFA lacks" : "lacks OFA's bias");
  if (l.bias) out.push_back({layer, TensorRole::Bias, m.bias, {}});
  if (l.batch_norm != !m.batch_norm.empty()) fail(l.batch_norm ? "has a batch norm OFA lacks" : "lacks OFA's batch norm");
  if (!l.batch_norm) return;
  out.push_back({layer, TensorRole::BatchNormScale, m.batch_norm + "weight", {}});
  out.push_back({layer, TensorRole::BatchNormShift, m.batch_norm + "bias", {}});
  out.push_back({layer, TensorRole::BatchNormMean, m.batch_norm + "running_mean", {}});
  out.push_back({layer, TensorRole::BatchNormVariance, m.batch_norm + "running_var", {}});
}

// The four tensors of a batch norm, along their one dimension.
void add_batch_norm_axes(std::vector<ChannelAxis>& axes, const std::string& prefix) {
  for (const char* t : {"weight", "bias", "running_mean", "running_var"}) axes.push_back({prefix + t, 0});
}

}  // namespace
}  // namespace weight_sharing

std::string OfaMobileNetV3::supernet_name() const {
  std::string width = std::to_string(width_mult_);
  width.erase(width.find_last_not_of('0') + 1);
  if (width.back() == '.') width += '0';
  // Input channels only where they differ from OFA's 3, so messages about
  // OFA's own checkpoints read as before. The stem's strides change no
  // tensor and are not named.
  const std::string channels =
      input_channels_ == 3 ? "" : ", " + std::to_string(input_channels_) + " input channel" + (input_channels_ == 1 ? "" : "s");
  return "ofa-mobilenetv3 super-network (width " + width + ", " + std::to_string(classes_) + " classes" + channels + ")";
}

std::vector<SharedTensor> OfaMobileNetV3::shared_tensors() const {
  using namespace weight_sharing;
  std::vector<SharedTensor> out;
  add_conv(out, "first_conv.conv.weight", {widths_[0], input_channels_, 3, 3}, "first_conv.bn.");
  add_conv(out, "blocks.0.conv.depth_conv.conv.weight", {widths_[0], 1, 3, 3}, "blocks.0.conv.depth_conv.bn.");
  add_conv(out, "blocks.0.conv.point_linear.conv.weight", {widths_[1], widths_[0], 1, 1},
           "blocks.0.conv.point_linear.bn.");
  const int largest_expand = static_cast<int>(kExpands.size()) - 1;
  int64_t cin = widths_[1];
  for (int s = 0; s < kStages; ++s) {
    const Stage& st = stages_[s];
    for (int b = 0; b < kSlotsPerStage; ++b) {
      const std::string block = block_prefix(s * kSlotsPerStage + b);
      const int64_t mid = b == 0 ? st.mid_first[largest_expand] : st.mid_rest[largest_expand];
      const int64_t hidden = b == 0 ? st.se_first[largest_expand] : st.se_rest[largest_expand];
      add_conv(out, block + "inverted_bottleneck.conv.conv.weight", {mid, cin, 1, 1}, block + "inverted_bottleneck.bn.bn.");
      out.push_back({block + "depth_conv.conv.5to3_matrix", {9, 9}, SharedTensorKind::KernelTransform, {}});
      out.push_back({block + "depth_conv.conv.7to5_matrix", {25, 25}, SharedTensorKind::KernelTransform, {}});
      add_conv(out, block + "depth_conv.conv.conv.weight", {mid, 1, kMaxKernel, kMaxKernel}, block + "depth_conv.bn.bn.");
      if (st.se) {
        out.push_back({block + "depth_conv.se.fc.reduce.weight", {hidden, mid, 1, 1}, SharedTensorKind::ConvWeight, {}});
        out.push_back({block + "depth_conv.se.fc.reduce.bias", {hidden}, SharedTensorKind::Bias, {}});
        out.push_back({block + "depth_conv.se.fc.expand.weight", {mid, hidden, 1, 1}, SharedTensorKind::ConvWeight, {}});
        out.push_back({block + "depth_conv.se.fc.expand.bias", {mid}, SharedTensorKind::Bias, {}});
      }
      add_conv(out, block + "point_linear.conv.conv.weight", {st.width, mid, 1, 1}, block + "point_linear.bn.bn.");
      cin = st.width;
    }
  }
  add_conv(out, "final_expand_layer.conv.weight", {widths_[7], cin, 1, 1}, "final_expand_layer.bn.");
  add_conv(out, "feature_mix_layer.conv.weight", {widths_[8], widths_[7], 1, 1}, "");
  out.push_back({"classifier.linear.weight", {classes_, widths_[8]}, SharedTensorKind::LinearWeight, {}});
  out.push_back({"classifier.linear.bias", {classes_}, SharedTensorKind::Bias, {}});
  for (SharedTensor& t : out) t.aliases = ofa_aliases(t.name);
  return out;
}

std::vector<ChannelGroup> OfaMobileNetV3::channel_groups() const {
  using namespace weight_sharing;
  std::vector<ChannelGroup> groups;
  for (int s = 0; s < kStages; ++s) {
    for (int b = 0; b < kSlotsPerStage; ++b) {
      const std::string block = block_prefix(s * kSlotsPerStage + b);
      const std::string se = block + "depth_conv.se.fc.";
      const std::string module = block.substr(0, block.size() - 1);  // "blocks.3.conv"
      const ChannelAxis projection{block + "point_linear.conv.conv.weight", 1};
      ChannelGroup middle;
      middle.name = module + " middle channels";
      middle.axes.push_back({block + "inverted_bottleneck.conv.conv.weight", 0});
      add_batch_norm_axes(middle.axes, block + "inverted_bottleneck.bn.bn.");
      middle.axes.push_back({block + "depth_conv.conv.conv.weight", 0});
      add_batch_norm_axes(middle.axes, block + "depth_conv.bn.bn.");
      if (stages_[s].se) {
        middle.axes.push_back({se + "reduce.weight", 1});
        middle.axes.push_back({se + "expand.weight", 0});
        middle.axes.push_back({se + "expand.bias", 0});
      }
      middle.axes.push_back(projection);
      middle.importance = {projection};
      groups.push_back(std::move(middle));
      if (stages_[s].se) {
        ChannelGroup hidden;
        hidden.name = module + " squeeze-excite channels";
        hidden.axes = {{se + "reduce.weight", 0}, {se + "reduce.bias", 0}, {se + "expand.weight", 1}};
        hidden.importance = {{se + "expand.weight", 1}};
        groups.push_back(std::move(hidden));
      }
    }
  }
  return groups;
}

std::vector<TensorBinding> OfaMobileNetV3::bind(const Architecture& arch, const NetworkSpec& spec) const {
  using namespace weight_sharing;
  check(arch);
  // The tensor-holding layers of lower(arch), in its order.
  std::vector<Module> modules;
  modules.push_back(conv("first_conv.conv.weight", "first_conv.bn."));
  modules.push_back(conv("blocks.0.conv.depth_conv.conv.weight", "blocks.0.conv.depth_conv.bn."));
  modules.push_back(conv("blocks.0.conv.point_linear.conv.weight", "blocks.0.conv.point_linear.bn."));
  for (int s = 0; s < kStages; ++s) {
    for (int b = 0; b < depth(arch, s); ++b) {
      const int slot = s * kSlotsPerStage + b;
      const std::string block = block_prefix(slot);
      modules.push_back(conv(block + "inverted_bottleneck.conv.conv.weight", block + "inverted_bottleneck.bn.bn."));
      Module depthwise = conv(block + "depth_conv.conv.conv.weight", block + "depth_conv.bn.bn.");
      depthwise.kernel_steps = kernel_steps(block, kKernels[arch[kKsBase + slot]]);
      modules.push_back(depthwise);
      if (stages_[s].se) {
        Module se;
        se.op = OpKind::SqueezeExcite;
        se.se = block + "depth_conv.se.";
        modules.push_back(se);
      }
      modules.push_back(conv(block + "point_linear.conv.conv.weight", block + "point_linear.bn.bn."));
    }
  }
  modules.push_back(conv("final_expand_layer.conv.weight", "final_expand_layer.bn."));
  modules.push_back(conv("feature_mix_layer.conv.weight", ""));
  Module classifier;
  classifier.op = OpKind::Linear;
  classifier.weight = "classifier.linear.weight";
  classifier.bias = "classifier.linear.bias";
  modules.push_back(classifier);

  std::vector<TensorBinding> out;
  std::size_t next = 0;
  for (int i = 0; i < static_cast<int>(spec.layers.size()); ++i) {
    const Layer& l = spec.layers[i];
    if (layer_tensors(l).empty()) continue;
    if (next == modules.size())
      throw Error(supernet_name() + ": the network has more weighted layers than OFA's; fix: this is a bug in the "
                  "ofa-mobilenetv3 space, report it");
    bind_module(out, i, l, modules[next++], supernet_name());
  }
  if (next != modules.size())
    throw Error(supernet_name() + ": the network has fewer weighted layers than OFA's; fix: this is a bug in the "
                "ofa-mobilenetv3 space, report it");
  return out;
}

}  // namespace nasctl::spaces::ofa_mobilenetv3
