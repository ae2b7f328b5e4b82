// HURRICANE space: configuration, layer positions, text form and lowering.
#include "hurricane_space.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include <boost/multiprecision/cpp_int.hpp>

#include "nasctl/error.hpp"
#include "operators.hpp"

namespace nasctl::spaces::hurricane {

namespace {

int64_t conv_out(int64_t size, int stride) {
  // Every convolution pads kernel / 2 (odd kernels), so the kernel cancels.
  return (size - 1) / stride + 1;
}

std::string shape_text(const TensorShape& s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
}

std::string list_text(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

std::string shorten(std::string_view text) {
  return text.size() <= 60 ? std::string(text) : std::string(text.substr(0, 57)) + "...";
}

}  // namespace

std::vector<ConfigKey> HurricaneSpace::config_keys() {
  return {
      ConfigKey::integer("resolution", 224, "Input resolution (square images)").at_least(32),
      ConfigKey::integer("classes", 1000, "Output classes of the classifier").at_least(1),
      ConfigKey::integer("stem_width", 16, "Channels of the 3x3 stride-2 stem convolution").at_least(8),
      ConfigKey::integer("first_width", 16, "Channels of the fixed first block (depthwise-separable)").at_least(8),
      ConfigKey::list("widths", ConfigType::IntList, std::vector<int64_t>{24, 32, 64, 112, 184, 352},
                      "Output channels of each stage (even numbers)")
          .at_least(8),
      ConfigKey::list("depths", ConfigType::IntList, std::vector<int64_t>{4, 4, 4, 4, 3, 1},
                      "Searchable layers per stage")
          .at_least(1),
      ConfigKey::list("strides", ConfigType::IntList, std::vector<int64_t>{2, 2, 2, 1, 2, 1},
                      "Stride of each stage's first layer (1 or 2)")
          .at_least(1)
          .at_most(2),
      ConfigKey::integer("head_width", 1984, "Channels of the 1x1 head convolution before pooling").at_least(8),
      ConfigKey::optional("operators_file", ConfigType::Path,
                          "Device-specific operators per layer written by `nasctl space select` (absent: every "
                          "layer chooses from the whole pool)"),
  };
}

void HurricaneSpace::read_macro(const PluginConfig& config) {
  resolution_ = config.get_int("resolution");
  classes_ = config.get_int("classes");
  stem_width_ = config.get_int("stem_width");
  first_width_ = config.get_int("first_width");
  head_width_ = config.get_int("head_width");
  const std::vector<int64_t>& widths = config.get_ints("widths");
  const std::vector<int64_t>& depths = config.get_ints("depths");
  const std::vector<int64_t>& strides = config.get_ints("strides");
  if (widths.empty()) config.fail("widths", "is empty; fix: give one width per stage, e.g. [24, 32, 64, 112, 184, 352]");
  if (depths.size() != widths.size())
    config.fail("depths", "has " + std::to_string(depths.size()) + " entries for " + std::to_string(widths.size()) +
                              " stages (widths " + list_text(widths) + "); fix: give one depth per stage");
  if (strides.size() != widths.size())
    config.fail("strides", "has " + std::to_string(strides.size()) + " entries for " + std::to_string(widths.size()) +
                               " stages (widths " + list_text(widths) + "); fix: give one stride per stage");
  // ShuffleNetV2 units split channels in halves.
  for (const char* key : {"stem_width", "first_width"}) {
    if (config.get_int(key) % 2)
      config.fail(key, "is " + std::to_string(config.get_int(key)) + "; fix: use an even number (ShuffleNetV2 units halve channels)");
  }
  for (int64_t w : widths) {
    if (w % 2) config.fail("widths", "has the odd width " + std::to_string(w) + "; fix: use even widths (ShuffleNetV2 units halve channels)");
  }

  int64_t size = conv_out(resolution_, 2);
  int64_t cin = first_width_;
  for (std::size_t s = 0; s < widths.size(); ++s) {
    for (int64_t d = 0; d < depths[s]; ++d) {
      evolve::LayerPosition p;
      p.variable = positions_.size();
      p.name = "l" + std::to_string(p.variable);
      p.stride = d == 0 ? static_cast<int>(strides[s]) : 1;
      p.in = {cin, size, size};
      size = conv_out(size, p.stride);
      p.out = {widths[s], size, size};
      cin = widths[s];
      positions_.push_back(std::move(p));
    }
  }
}

HurricaneSpace::HurricaneSpace(const PluginContext& context) {
  const PluginConfig& config = context.config;
  read_macro(config);
  const auto& pool = operator_pool();
  if (config.has("operators_file")) {
    operators_file_ = config.get_path("operators_file");
    try {
      choices_ = load_operators_file(operators_file_, positions_);
    } catch (const DataError& e) {
      config.fail("operators_file", e.what());
    }
  } else {
    for (std::size_t i = 0; i < positions_.size(); ++i) {
      std::vector<int> ops;
      for (const std::string& name : pool_at(i)) ops.push_back(find_operator(name));
      choices_.push_back(std::move(ops));
    }
  }
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    std::vector<std::string> labels;
    for (int op : choices_[i]) labels.push_back(pool[op].name);
    variables_.push_back(nominal_variable(positions_[i].name, std::move(labels)));
  }
}

std::vector<std::string> HurricaneSpace::pool_at(std::size_t position) const {
  const evolve::LayerPosition& p = positions_.at(position);
  std::vector<std::string> names;
  for (const Operator& op : operator_pool()) {
    if (operator_fits(op, p.in.channels, p.out.channels, p.stride)) names.push_back(op.name);
  }
  return names;
}

NetworkSpec HurricaneSpace::lower_operator(std::size_t position, const std::string& op) const {
  const evolve::LayerPosition& p = positions_.at(position);
  const int index = find_operator(op);
  if (index < 0 || !operator_fits(operator_pool()[index], p.in.channels, p.out.channels, p.stride))
    throw ArchitectureError("hurricane: operator '" + op + "' is not valid at layer " + p.name + "; fix: use one of pool_at(" +
                            std::to_string(position) + ")");
  NetworkBuilder b("hurricane:" + p.name + "=" + op, p.in);
  append_operator(b, operator_pool()[index], p.out.channels, p.stride);
  return std::move(b).finish();
}

NetworkSpec HurricaneSpace::lower(const Architecture& arch) const {
  check(arch);
  NetworkBuilder b("hurricane", TensorShape{3, resolution_, resolution_});
  b.conv(stem_width_, 3, 2, 1, true, ActivationKind::ReLU);
  const int stem = b.current();
  b.depthwise(3, 1, true, ActivationKind::ReLU);
  b.conv(first_width_, 1, 1, 1, true, ActivationKind::None);
  if (stem_width_ == first_width_) b.add(stem, b.current());
  for (std::size_t i = 0; i < positions_.size(); ++i)
    append_operator(b, operator_pool()[choices_[i][arch[i]]], positions_[i].out.channels, positions_[i].stride);
  b.conv(head_width_, 1, 1, 1, true, ActivationKind::ReLU);
  b.global_avg_pool();
  b.linear(classes_, true);
  return std::move(b).finish();
}

void HurricaneSpace::fail_choice(std::string_view text, std::size_t layer, const std::string& op) const {
  const evolve::LayerPosition& p = positions_[layer];
  const DecisionVariable& var = variables_[layer];
  const std::string where = "architecture '" + shorten(text) + "': layer " + p.name;
  std::string allowed;
  for (std::size_t i = 0; i < var.labels.size() && i < 6; ++i) allowed += (i ? ", " : "") + var.labels[i];
  if (var.labels.size() > 6) allowed += ", ... (" + std::to_string(var.labels.size()) + " in all)";
  const int index = find_operator(op);
  if (index < 0)
    throw ArchitectureError(where + ": unknown operator '" + op + "'; fix: use one of " + allowed +
                            " (names: ir_k<3|5|7>_e<1|3|6>[_se]_<relu|hswish>, shuffle_k<3|5|7>_<relu|hswish>, skip)");
  if (!operator_fits(operator_pool()[index], p.in.channels, p.out.channels, p.stride))
    throw ArchitectureError(where + " cannot be '" + op + "': it maps " + shape_text(p.in) + " to " + shape_text(p.out) +
                            "; fix: choose an operator that changes the shape, e.g. " + var.labels[0]);
  throw ArchitectureError(where + ": '" + op + "' is not among the operators the operators file '" + operators_file_ +
                          "' keeps there (" + allowed + "); fix: use one of them, or remove operators_file from [space]");
}

Architecture HurricaneSpace::parse(std::string_view text) const {
  const std::size_t n = positions_.size();
  const std::string form = "'l0=<op>;l1=<op>;...;l" + std::to_string(n - 1) + "=<op>'";
  std::vector<std::string_view> items;
  for (std::size_t pos = 0; pos <= text.size();) {
    const std::size_t end = std::min(text.find(';', pos), text.size());
    items.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  if (items.size() != n)
    throw ArchitectureError("architecture '" + shorten(text) + "': has " + std::to_string(items.size()) +
                            " layers; this space has " + std::to_string(n) + "; fix: write " + form);
  Architecture arch(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t eq = items[i].find('=');
    if (eq == std::string_view::npos || items[i].substr(0, eq) != positions_[i].name)
      throw ArchitectureError("architecture '" + shorten(text) + "': item " + std::to_string(i + 1) + " is '" +
                              std::string(items[i]) + "', expected '" + positions_[i].name + "=<op>'; fix: write " + form);
    const std::string op(items[i].substr(eq + 1));
    const auto& labels = variables_[i].labels;
    const auto it = std::find(labels.begin(), labels.end(), op);
    if (it == labels.end()) fail_choice(text, i, op);
    arch[i] = static_cast<int>(it - labels.begin());
  }
  return canonicalize(arch);
}

}  // namespace nasctl::spaces::hurricane

namespace nasctl::spaces::hurricane {

Architecture HurricaneSpace::extreme(bool fewest) const {
  Architecture arch(choices_.size());
  for (std::size_t i = 0; i < choices_.size(); ++i) {
    std::pair<int64_t, int64_t> best{};
    for (std::size_t c = 0; c < choices_[i].size(); ++c) {
      const NetworkCost cost = count_cost(lower_operator(i, operator_pool()[choices_[i][c]].name));
      const std::pair<int64_t, int64_t> key{cost.macs, cost.params};
      if (c == 0 || (fewest ? key < best : key > best)) {
        best = key;
        arch[i] = static_cast<int>(c);
      }
    }
  }
  return arch;
}

Architecture HurricaneSpace::smallest() const { return extreme(true); }
Architecture HurricaneSpace::largest() const { return extreme(false); }

std::string HurricaneSpace::distinct_networks() const {
  boost::multiprecision::cpp_int count = 1;
  for (const auto& ops : choices_) count *= static_cast<unsigned>(ops.size());
  return count.str();
}

// Why lowering max_i |choices_i| architectures is exact: every searchable
// layer maps its position's fixed input shape to its fixed output shape, so
// its layers depend only on its own operator; stem, first block and head are
// the same in every network. Architecture j picks choice j mod |choices_i|
// at layer i, so each (layer, operator) pair appears in some architecture
// lowered, and every layer found is in a real network.
std::vector<Layer> HurricaneSpace::distinct_layers() const {
  std::size_t widest = 0;
  for (const auto& ops : choices_) widest = std::max(widest, ops.size());
  std::vector<Layer> layers;
  std::set<std::string> seen;
  for (std::size_t j = 0; j < widest; ++j) {
    Architecture arch(choices_.size());
    for (std::size_t i = 0; i < choices_.size(); ++i) arch[i] = static_cast<int>(j % choices_[i].size());
    for (Layer& layer : lower(arch).layers) {
      if (seen.insert(layer.key()).second) layers.push_back(std::move(layer));
    }
  }
  return layers;
}

}  // namespace nasctl::spaces::hurricane

// The WeightSharing face (nasctl::supernet); the file says why it is included.
#include "hurricane_weight_sharing.ipp"
