// OFA ResNet50: configuration, structure and lowering. The network is the
// sub-network OFAResNets.get_active_subnet() builds (see DESIGN.md section 3
// and the header); every width lower() needs is computed once here.
#include "ofa_resnet50.hpp"

#include <algorithm>
#include <set>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "nasctl/error.hpp"

namespace nasctl::spaces::ofa_resnet50 {

int64_t make_divisible(double value) {
  // Python: max(8, int(v + 4) // 8 * 8), plus 8 when that lost over 10%.
  int64_t n = std::max<int64_t>(8, static_cast<int64_t>(value + 4.0) / 8 * 8);
  if (static_cast<double>(n) < 0.9 * value) n += 8;
  return n;
}

int64_t bottleneck_mid(int64_t out, int e_percent) {
  // round(out * e) with Python 3's round (half to even), exactly.
  const int64_t scaled = out * e_percent;
  int64_t q = scaled / 100;
  const int64_t rem = scaled % 100;
  if (rem > 50 || (rem == 50 && q % 2 == 1)) ++q;
  return make_divisible(static_cast<double>(q));
}

namespace {

// OFA trains OFA-ResNet50 at every resolution 128..224 in steps of 4
// (train_ofa_net.py: image_size 128..224, continuous, IMAGE_SIZE_SEG 4).
constexpr int64_t kMinResolution = 128;
constexpr int64_t kMaxResolution = 224;

std::vector<double> percents_as_values(const std::array<int, 3>& percents) {
  std::vector<double> v;
  for (int p : percents) v.push_back(p / 100.0);
  return v;
}

}  // namespace

std::vector<ConfigKey> OfaResNet50::config_keys() {
  return {
      ConfigKey::list("resolutions", ConfigType::IntList, std::vector<int64_t>{224},
                      "Input resolutions the search may choose (the variable r): 128..224 in multiples of 4, "
                      "the sizes OFA trains its ResNet50 super-network at")
          .at_least(static_cast<double>(kMinResolution))
          .at_most(static_cast<double>(kMaxResolution)),
      ConfigKey::integer("classes", 1000, "Number of output classes of the classifier").at_least(1),
      ConfigKey::list("width_mults", ConfigType::FloatList, std::vector<double>(kWidthMults.begin(), kWidthMults.end()),
                      "The three width multipliers the w variables index, ascending (OFA's width_mult_list; "
                      "[0.65, 0.8, 1.0] is its published ResNet50 super-network). Other values describe "
                      "another OFAResNets, e.g. the narrow one of tests/fixtures/ofa-resnet50")
          .at_least(0.01),
  };
}

OfaResNet50::OfaResNet50(const PluginContext& context) {
  const PluginConfig& config = context.config;
  const std::vector<int64_t>& resolutions = config.get_ints("resolutions");
  if (resolutions.empty()) config.fail("resolutions", "is empty; fix: give at least one resolution, e.g. [224]");
  std::set<int64_t> seen;
  for (int64_t r : resolutions) {
    if (r < kMinResolution || r > kMaxResolution || r % 4 != 0)
      config.fail("resolutions", "has " + std::to_string(r) +
                                     "; OFA trains ResNet50 at resolutions 128..224 in steps of 4; fix: use e.g. "
                                     "160, 192 or 224");
    if (!seen.insert(r).second)
      config.fail("resolutions", "lists " + std::to_string(r) + " twice; fix: list each resolution once");
  }
  resolutions_ = resolutions;
  classes_ = config.get_int("classes");
  if (classes_ < 1) config.fail("classes", "is " + std::to_string(classes_) + "; fix: give at least 1 class");
  // Three, as DyNAS-T's w indices 0/1/2 and the choice vector's layout
  // assume; ascending, as OFA sorts its width_mult_list (index 2 = widest).
  const std::vector<double> widths = config.get_doubles("width_mults");
  if (widths.size() != width_mults_.size())
    config.fail("width_mults", "has " + std::to_string(widths.size()) +
                                   " values; fix: give exactly 3 width multipliers, e.g. [0.65, 0.8, 1.0]");
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (!(widths[i] > 0.0) || (i > 0 && !(widths[i] > widths[i - 1])))
      config.fail("width_mults", "is not strictly ascending and positive; fix: list 3 increasing multipliers, "
                                 "e.g. [0.65, 0.8, 1.0]");
    width_mults_[i] = widths[i];
  }

  for (int w = 0; w < 3; ++w) {
    stem_out_[w] = make_divisible(64.0 * width_mults_[w]);
    stem_mid_[w] = make_divisible(static_cast<double>(stem_out_[w] / 2));
    for (int s = 0; s < kStages; ++s) {
      stage_width_[s][w] = make_divisible(static_cast<double>(kStageWidths[s]) * width_mults_[w]);
      for (int e = 0; e < 3; ++e) mid_[s][w][e] = bottleneck_mid(stage_width_[s][w], kExpandPercents[e]);
    }
  }

  variables_.reserve(kVariables);
  const std::vector<double> depths{0, 1, 2};
  for (int i = 0; i < kDepthVars; ++i) variables_.push_back(numeric_variable("d" + std::to_string(i), depths));
  for (int i = 0; i < kBlocks; ++i)
    variables_.push_back(numeric_variable("e" + std::to_string(i), percents_as_values(kExpandPercents)));
  // w holds indices into the width multipliers, as DyNAS-T writes it.
  for (int i = 0; i < kWidthVars; ++i) variables_.push_back(numeric_variable("w" + std::to_string(i), depths));
  variables_.push_back(numeric_variable("r", std::vector<double>(resolutions_.begin(), resolutions_.end())));
}

NetworkSpec OfaResNet50::lower(const Architecture& arch) const {
  check(arch);
  const int64_t resolution = resolutions_[arch[kRIndex]];
  NetworkBuilder b("ofa-resnet50", TensorShape{3, resolution, resolution});

  // Input stem: 3x3 s2 3 -> m, [residual 3x3 m -> m, identity shortcut, no
  // activation after the sum], 3x3 m -> c; every conv with BN and ReLU.
  const int64_t stem_mid = stem_mid_[arch[kWBase]];
  b.conv(stem_mid, 3, 2, 1, true, ActivationKind::ReLU);
  if (stem_residual(arch)) {
    const int x = b.current();
    b.conv(stem_mid, 3, 1, 1, true, ActivationKind::ReLU);
    b.add(b.current(), x);
  }
  b.conv(stem_out_[arch[kWBase + 1]], 3, 1, 1, true, ActivationKind::ReLU);
  b.max_pool(3, 2, 1);

  for (int s = 0; s < kStages; ++s) {
    const int w = arch[kWBase + 2 + s];
    const int64_t width = stage_width_[s][w];
    const int blocks = depth(arch, s);
    for (int blk = 0; blk < blocks; ++blk) {
      const int64_t mid = mid_[s][w][arch[kEBase + kSlotBase[s] + blk]];
      const int stride = blk == 0 ? kStrides[s] : 1;
      const int x = b.current();
      int shortcut = x;
      // OFA puts a downsample branch on each stage's first block (its
      // super-network's channel lists differ there, or the stride is 2):
      // avg-pool k = s = stride (ceil mode) when the stride is 2, then 1x1
      // conv + BN. The stride-1 pool of stage 0 is the identity: omitted.
      if (blk == 0) {
        // OFA pools in ceil mode: on an odd map (e.g. 33 at r = 132) the last
        // window covers one row/column and averages it alone, giving
        // ceil(h / 2) outputs, as the 3x3 stride-2 conv does. On an even map
        // ceil and floor mode are the same function; the flag is set only
        // where it matters, so latency-table keys of even maps stay as they were.
        if (stride > 1) b.avg_pool(2, 2, 0, /*ceil_mode=*/b.current_shape().height % 2 == 1);
        b.conv(width, 1, 1, 1, true, ActivationKind::None);
        shortcut = b.current();
        b.set_current(x);
      }
      b.conv(mid, 1, 1, 1, true, ActivationKind::ReLU);
      b.conv(mid, 3, stride, 1, true, ActivationKind::ReLU);  // the stride is on the 3x3 (ResNet-D)
      b.conv(width, 1, 1, 1, true, ActivationKind::None);
      b.add(b.current(), shortcut);
      b.activation(ActivationKind::ReLU);
    }
  }

  b.global_avg_pool();
  b.linear(classes_, true);
  return std::move(b).finish();
}

Architecture OfaResNet50::canonicalize(const Architecture& arch) const {
  check(arch);
  Architecture out = arch;
  if (!stem_residual(out)) out[kDBase] = 0;
  // The first choice giving the same channels (narrow width multipliers
  // round several choices to one width; make_divisible's minimum is 8).
  auto first_equal = [](const auto& widths, int choice) {
    int first = 0;
    while (widths[first] != widths[choice]) ++first;
    return first;
  };
  out[kWBase] = first_equal(stem_mid_, out[kWBase]);
  out[kWBase + 1] = first_equal(stem_out_, out[kWBase + 1]);
  for (int s = 0; s < kStages; ++s) {
    int& w = out[kWBase + 2 + s];
    w = first_equal(stage_width_[s], w);
    for (int blk = 0; blk < kBaseDepths[s] + kDepths.back(); ++blk) {
      const int slot = kSlotBase[s] + blk;
      out[kEBase + slot] = active(out, slot) ? first_equal(mid_[s][w], out[kEBase + slot]) : 0;
    }
  }
  return out;
}

// One-hot of the canonical architecture (same length as the generic
// encoding), with all zeros for the expand ratio of an unused slot: those
// settings do not change the network, and as features they would be noise
// to a linear predictor.
std::vector<double> OfaResNet50::encode(const Architecture& arch) const {
  const Architecture c = canonicalize(arch);
  std::vector<double> x(encoding_size(), 0.0);
  std::size_t offset = 0;
  for (int i = 0; i < kVariables; ++i) {
    const bool unused_slot = i >= kEBase && i < kEBase + kBlocks && !active(c, i - kEBase);
    if (!unused_slot) x[offset + c[i]] = 1.0;
    offset += variables_[i].labels.size();
  }
  return x;
}

// Why lowering 27 architectures per resolution is exact: a layer depends on
// the resolution, on its own block's e, and on at most two neighbouring
// width choices: the stem on (w0, w1), a stage's first block on the previous
// stage's width (its input) and its own, later blocks and the head on one.
// Depth only removes blocks (never changes the next block's input) and the
// skipped stem block leaves the stem's last conv as it is. With every depth
// at its maximum, the stem block kept, every e the same and w = (a, b, a, b,
// a, b), each pair of neighbouring width slots takes every (a, b) over the
// 9 choices; the 3 e choices complete the set, and every layer found is in a
// network (the one lowered). The tests compare against random networks.
std::vector<Layer> OfaResNet50::distinct_layers() const {
  std::vector<Layer> layers;
  std::set<std::string> seen;
  for (int r = 0; r < static_cast<int>(resolutions_.size()); ++r) {
    for (int a = 0; a < 3; ++a) {
      for (int c = 0; c < 3; ++c) {
        for (int e = 0; e < 3; ++e) {
          Architecture arch(kVariables, 0);
          for (int i = 0; i < kDepthVars; ++i) arch[kDBase + i] = 2;
          for (int i = 0; i < kBlocks; ++i) arch[kEBase + i] = e;
          for (int i = 0; i < kWidthVars; ++i) arch[kWBase + i] = i % 2 == 0 ? a : c;
          arch[kRIndex] = r;
          for (Layer& layer : lower(arch).layers) {
            if (seen.insert(layer.key()).second) layers.push_back(std::move(layer));
          }
        }
      }
    }
  }
  return layers;
}

Architecture OfaResNet50::smallest() const {
  Architecture arch(kVariables, 0);
  arch[kRIndex] = static_cast<int>(std::min_element(resolutions_.begin(), resolutions_.end()) - resolutions_.begin());
  return arch;
}

Architecture OfaResNet50::largest() const {
  Architecture arch(kVariables, 2);  // d, e and w: 3 choices each, ascending
  arch[kRIndex] = static_cast<int>(std::max_element(resolutions_.begin(), resolutions_.end()) - resolutions_.begin());
  return arch;
}

// The classes canonicalize() makes: the stem (kept or skipped block, its
// distinct widths), then per stage the sum over its depths of (distinct
// middle widths)^(blocks) for each width choice, times the resolutions.
std::string OfaResNet50::distinct_networks() const {
  using boost::multiprecision::cpp_int;
  const std::set<int64_t> stem_mids(stem_mid_.begin(), stem_mid_.end());
  const std::set<int64_t> stem_outs(stem_out_.begin(), stem_out_.end());
  cpp_int count = cpp_int(2) * static_cast<unsigned>(stem_mids.size()) * static_cast<unsigned>(stem_outs.size());
  for (int s = 0; s < kStages; ++s) {
    cpp_int per_stage = 0;
    for (int w = 0; w < 3; ++w) {
      const std::set<int64_t> mids(mid_[s][w].begin(), mid_[s][w].end());
      for (int d : kDepths)
        per_stage += boost::multiprecision::pow(cpp_int(mids.size()), static_cast<unsigned>(kBaseDepths[s] + d));
    }
    count *= per_stage;
  }
  count *= static_cast<unsigned>(resolutions_.size());
  return count.str();
}

}  // namespace nasctl::spaces::ofa_resnet50

// The WeightSharing face (nasctl::supernet); the file says why it is included.
#include "ofa_resnet50_weight_sharing.ipp"
