// NAS-Bench-201: configuration, lowering to the benchmark's macro skeleton,
// canonical classes, layer enumeration and size extremes. The skeleton is
// TinyNetwork of NAS-Bench-201's code (D-X-Y/AutoDL-Projects), read for the
// facts only: stem conv3x3 + BN; stages of N cells at C, 2C, 4C channels,
// joined by ResNet basic blocks of stride 2 (ReLU-conv3x3 s2-BN, ReLU-conv3x3-BN,
// shortcut avg-pool 2x2 s2 then conv1x1 without BN or bias); BN, ReLU,
// global average pool, linear with bias.
#include "nasbench201_space.hpp"

#include <array>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::spaces::nasbench201 {

namespace {

constexpr int kReductions = NasBench201::kStages - 1;

// Index of an architecture in [0, 15625): edge 1<-0 the most significant
// base-5 digit, so ascending index is lexicographic order of choice vectors.
int arch_index(const CellOps& ops) {
  int index = 0;
  for (CellOp op : ops) index = index * kCellOps + static_cast<int>(op);
  return index;
}

CellOps ops_of_index(int index) {
  CellOps ops{};
  for (int e = kCellEdges - 1; e >= 0; --e, index /= kCellOps) ops[e] = static_cast<CellOp>(index % kCellOps);
  return ops;
}

// The canonical classes of the whole space, computed once per process (the
// cell does not depend on the configuration): per architecture index the
// index of its class's representative, the smallest index with the same plan.
struct CanonicalClasses {
  std::array<int16_t, NasBench201::kArchitectures> representative{};
  int count = 0;
};

const CanonicalClasses& canonical_classes() {
  static const CanonicalClasses classes = [] {
    CanonicalClasses c;
    std::unordered_map<std::string, int16_t> first;
    first.reserve(8192);
    for (int index = 0; index < NasBench201::kArchitectures; ++index) {
      const auto [it, inserted] = first.emplace(plan_cell(ops_of_index(index)).key(), static_cast<int16_t>(index));
      c.representative[index] = it->second;
      if (inserted) ++c.count;
    }
    return c;
  }();
  return classes;
}

Architecture architecture_of(const CellOps& ops) {
  Architecture arch(kCellEdges);
  for (int e = 0; e < kCellEdges; ++e) arch[e] = static_cast<int>(ops[e]);
  return arch;
}

// One cell at the builder's current tensor, `channels` wide. Adds of three
// inputs are appended with two (the builder's add) and completed after
// finish() through `third_inputs`.
void append_cell(NetworkBuilder& b, const CellPlan& plan, int64_t channels,
                 std::vector<std::pair<int, int>>& third_inputs) {
  const int input = b.current();
  std::array<int, kMaxCellSteps> layer{};
  auto layer_of = [&](int tensor) { return tensor == kCellInput ? input : layer[tensor]; };
  for (int s = 0; s < plan.step_count; ++s) {
    const CellStep& step = plan.steps[s];
    b.set_current(layer_of(step.inputs[0]));
    switch (step.kind) {
      case CellStep::Relu: layer[s] = b.activation(ActivationKind::ReLU); break;
      case CellStep::Conv1x1: layer[s] = b.conv(channels, 1, 1, 1, true, ActivationKind::None); break;
      case CellStep::Conv3x3: layer[s] = b.conv(channels, 3, 1, 1, true, ActivationKind::None); break;
      case CellStep::AvgPool3x3: layer[s] = b.avg_pool(3, 1, 1); break;
      case CellStep::Add:
        layer[s] = b.add(layer_of(step.inputs[0]), layer_of(step.inputs[1]));
        if (step.input_count == 3) third_inputs.emplace_back(layer[s], layer_of(step.inputs[2]));
        break;
    }
  }
  b.set_current(layer_of(plan.output));
}

// ResNet basic block of stride 2 from the current tensor to `channels`.
void append_reduction(NetworkBuilder& b, int64_t channels) {
  const int input = b.current();
  b.activation(ActivationKind::ReLU);
  b.conv(channels, 3, 2, 1, true, ActivationKind::None);
  b.activation(ActivationKind::ReLU);
  const int main = b.conv(channels, 3, 1, 1, true, ActivationKind::None);
  b.set_current(input);
  b.avg_pool(2, 2, 0);
  const int shortcut = b.conv(channels, 1, 1, 1, false, ActivationKind::None);
  b.add(shortcut, main);
}

}  // namespace

std::vector<ConfigKey> NasBench201::config_keys() {
  return {
      ConfigKey::integer("classes", 10, "Output classes of the classifier: 10 (CIFAR-10), 100 (CIFAR-100), 120 "
                                        "(ImageNet16-120)")
          .at_least(1),
      ConfigKey::integer("input_size", 32, "Height and width of the input images: 32 (CIFAR), 16 (ImageNet16); a "
                                           "multiple of 4 (two stride-2 reductions)")
          .at_least(4),
      ConfigKey::integer("channels", 16, "Channels C of the first stage (the stages have C, 2C, 4C); "
                                         "NAS-Bench-201 uses 16")
          .at_least(1),
      ConfigKey::integer("cells_per_stage", 5, "Cells N per stage; NAS-Bench-201 uses 5").at_least(1),
      ConfigKey::integer("input_channels", 3, "Channels of the input images: 3 (RGB), 1 for grey images").at_least(1),
  };
}

NasBench201::NasBench201(const PluginContext& context) {
  const PluginConfig& config = context.config;
  classes_ = config.get_int("classes");
  input_size_ = config.get_int("input_size");
  channels_ = config.get_int("channels");
  cells_per_stage_ = config.get_int("cells_per_stage");
  input_channels_ = config.get_int("input_channels");
  if (classes_ < 1) config.fail("classes", "is " + std::to_string(classes_) + "; fix: give at least 1 class");
  if (input_size_ < 4 || input_size_ % 4 != 0)
    config.fail("input_size", "is " + std::to_string(input_size_) +
                                  "; the two stride-2 reductions need a multiple of 4 (their shortcut pools 2x2 and "
                                  "their convolution rounds up); fix: use 32 (CIFAR) or 16 (ImageNet16)");
  if (channels_ < 1) config.fail("channels", "is " + std::to_string(channels_) + "; fix: use 16 (NAS-Bench-201)");
  if (cells_per_stage_ < 1)
    config.fail("cells_per_stage", "is " + std::to_string(cells_per_stage_) + "; fix: use 5 (NAS-Bench-201)");
  if (input_channels_ < 1)
    config.fail("input_channels", "is " + std::to_string(input_channels_) + "; fix: use 3 (RGB) or 1 (grey)");

  variables_.reserve(kCellEdges);
  for (int e = 0; e < kCellEdges; ++e) {
    variables_.push_back(nominal_variable(std::to_string(kEdgeTo[e]) + "<-" + std::to_string(kEdgeFrom[e]),
                                          std::vector<std::string>(kOpNames.begin(), kOpNames.end())));
  }
}

CellOps NasBench201::cell_ops(const Architecture& arch) {
  CellOps ops{};
  for (int e = 0; e < kCellEdges; ++e) ops[e] = static_cast<CellOp>(arch[e]);
  return ops;
}

// A cell whose output is cut off (no path of non-`none` edges from node 0 to
// node 3) outputs zeros in NAS-Bench-201's code (its `none` op multiplies by
// zero). Such a cell has no layer here: the tensor passes it unchanged, so
// the network is the skeleton alone (stem, the two reduction blocks, head),
// counted as such. That is what the original runs on data besides
// multiplications by zero and convolutions whose results are discarded: its
// reduction blocks and head still process the (zero) tensor, at the same cost
// as here. The function differs (the original's prediction ignores the
// input), so canonicalize() keeps these cells apart from the pass-through
// cells that share their NetworkSpec.
//
// Pruning drops one more thing the original computes: a nor_conv edge out of
// a node that does not exist reads zeros there and adds BN(conv(ReLU(0))),
// the batch norm's per-channel shift, to its target node. That is a constant
// (a deployment folds it into a bias; no MACs), left out here as the pruning
// rule says; the module's function otherwise equals NAS-Bench-201's for
// every connected cell (tests/spaces/test_nasbench201_torch.cpp).
NetworkSpec NasBench201::lower(const Architecture& arch) const {
  check(arch);
  const CellPlan plan = plan_cell(cell_ops(arch));
  NetworkBuilder b("nasbench201", TensorShape{input_channels_, input_size_, input_size_});
  std::vector<std::pair<int, int>> third_inputs;
  b.conv(channels_, 3, 1, 1, true, ActivationKind::None);
  int64_t channels = channels_;
  for (int s = 0; s < kStages; ++s) {
    if (s > 0) {
      channels *= 2;
      append_reduction(b, channels);
    }
    for (int64_t n = 0; n < cells_per_stage_; ++n) append_cell(b, plan, channels, third_inputs);
  }
  b.batch_norm();
  b.activation(ActivationKind::ReLU);
  b.global_avg_pool();
  b.linear(classes_, true);
  NetworkSpec spec = std::move(b).finish();
  for (const auto& [layer, input] : third_inputs) spec.layers[layer].inputs.push_back(input);
  return spec;
}

Architecture NasBench201::canonicalize(const Architecture& arch) const {
  check(arch);
  return architecture_of(ops_of_index(canonical_classes().representative[arch_index(cell_ops(arch))]));
}

std::vector<double> NasBench201::encode(const Architecture& arch) const {
  return SearchSpace::encode(canonicalize(arch));
}

std::vector<Layer> NasBench201::distinct_layers() const {
  const CanonicalClasses& classes = canonical_classes();
  std::vector<Layer> layers;
  std::set<std::string> seen;
  for (int index = 0; index < kArchitectures; ++index) {
    if (classes.representative[index] != index) continue;
    for (Layer& layer : lower(architecture_of(ops_of_index(index))).layers) {
      if (seen.insert(layer.key()).second) layers.push_back(std::move(layer));
    }
  }
  return layers;
}

Architecture NasBench201::smallest() const {
  Architecture arch(kCellEdges, static_cast<int>(CellOp::None));
  arch[edge_index(3, 0)] = static_cast<int>(CellOp::Skip);
  return arch;
}

Architecture NasBench201::largest() const { return Architecture(kCellEdges, static_cast<int>(CellOp::Conv3x3)); }

std::string NasBench201::distinct_networks() const { return std::to_string(canonical_classes().count); }

}  // namespace nasctl::spaces::nasbench201
