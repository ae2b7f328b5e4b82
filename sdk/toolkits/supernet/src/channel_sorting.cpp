#include "nasctl/supernet/channel_sorting.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <string>

#include "nasctl/error.hpp"

namespace nasctl::supernet {

namespace {

[[noreturn]] void group_bug(const ChannelGroup& group, const std::string& what) {
  throw Error("channel group '" + group.name + "': " + what +
              "; fix: this is a bug in the space's channel_groups(), report it to the space's authors");
}

// The group's channel count, after checking that every axis (members and
// importance alike) names a tensor of `tensors` with a dimension of that
// length.
int64_t channel_count(const StateDict& tensors, const ChannelGroup& group) {
  if (group.axes.empty() || group.importance.empty()) group_bug(group, "no axes or no importance tensors");
  int64_t count = -1;
  for (const std::vector<ChannelAxis>* list : {&group.axes, &group.importance}) {
    for (const ChannelAxis& axis : *list) {
      const at::Tensor* t = tensors.find(axis.tensor);
      if (!t) group_bug(group, "it names '" + axis.tensor + "', which the super-network does not hold");
      if (axis.dim < 0 || axis.dim >= t->dim())
        group_bug(group, "dimension " + std::to_string(axis.dim) + " is out of range for the " +
                             std::to_string(t->dim()) + "-d tensor '" + axis.tensor + "'");
      const int64_t length = t->size(axis.dim);
      if (count >= 0 && length != count)
        group_bug(group, "'" + axis.tensor + "' has " + std::to_string(length) + " channels along dimension " +
                             std::to_string(axis.dim) + ", others " + std::to_string(count));
      count = length;
    }
  }
  return count;
}

// Sum over the importance tensors of each channel's L1 norm, on the CPU in
// double precision (the order must not depend on the device's summation).
std::vector<double> importance(const StateDict& tensors, const ChannelGroup& group, int64_t count) {
  at::Tensor total = at::zeros({count}, at::kDouble);
  for (const ChannelAxis& axis : group.importance) {
    const at::Tensor t = tensors.at(axis.tensor).detach().to(at::kCPU, at::kDouble).abs();
    std::vector<int64_t> others;
    for (int64_t d = 0; d < t.dim(); ++d)
      if (d != axis.dim) others.push_back(d);
    total += others.empty() ? t : t.sum(others);
  }
  return std::vector<double>(total.data_ptr<double>(), total.data_ptr<double>() + count);
}

}  // namespace

int64_t ChannelOrder::moved() const {
  int64_t n = 0;
  for (std::size_t i = 0; i < order.size(); ++i) n += order[i] != static_cast<int64_t>(i);
  return n;
}

std::vector<int64_t> group_widths(const WeightSharing& sharing, const std::vector<ChannelGroup>& groups,
                                  const Architecture& arch, const NetworkSpec& spec) {
  // Shared tensor name -> the shape of the layer tensor cut from it.
  std::map<std::string, std::vector<int64_t>> cut;
  for (const TensorBinding& b : sharing.bind(arch, spec)) {
    for (const LayerTensor& t : layer_tensors(spec.layers.at(static_cast<std::size_t>(b.layer))))
      if (t.role == b.role) cut.emplace(b.source, t.shape);
  }
  std::vector<int64_t> widths;
  for (const ChannelGroup& group : groups) {
    int64_t width = 0;
    for (const ChannelAxis& axis : group.axes) {
      const auto it = cut.find(axis.tensor);
      if (it == cut.end()) continue;
      if (axis.dim < 0 || axis.dim >= static_cast<int64_t>(it->second.size()))
        group_bug(group, "dimension " + std::to_string(axis.dim) + " is out of range for the " +
                             std::to_string(it->second.size()) + "-d layer tensor cut from '" + axis.tensor + "'");
      width = it->second[static_cast<std::size_t>(axis.dim)];
      break;
    }
    widths.push_back(width);
  }
  return widths;
}

std::vector<ChannelOrder> importance_orders(const StateDict& tensors, const std::vector<ChannelGroup>& groups,
                                            const std::vector<std::vector<int64_t>>& kept) {
  if (kept.size() != groups.size())
    throw Error("importance_orders: " + std::to_string(kept.size()) + " lists of kept widths for " +
                std::to_string(groups.size()) + " channel groups; fix: give one list per group (a caller's bug)");
  std::vector<ChannelOrder> orders;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const int64_t count = channel_count(tensors, groups[g]);
    const std::vector<double> importances = importance(tensors, groups[g], count);
    // Band edges: the kept widths inside (0, count), then count.
    std::vector<int64_t> edges;
    for (int64_t w : kept[g])
      if (w > 0 && w < count) edges.push_back(w);
    edges.push_back(count);
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());

    ChannelOrder o;
    o.group = g;
    o.order.resize(static_cast<std::size_t>(count));
    std::iota(o.order.begin(), o.order.end(), int64_t{0});
    int64_t begin = 0;
    for (int64_t end : edges) {
      std::stable_sort(o.order.begin() + begin, o.order.begin() + end,
                       [&](int64_t a, int64_t b) { return importances[a] > importances[b]; });
      begin = end;
    }
    orders.push_back(std::move(o));
  }
  return orders;
}

void apply_orders(const StateDict& tensors, const std::vector<ChannelGroup>& groups,
                  const std::vector<ChannelOrder>& orders) {
  c10::NoGradGuard no_grad;
  for (const ChannelOrder& o : orders) {
    const ChannelGroup& group = groups.at(o.group);
    const at::Tensor index = at::tensor(o.order, at::kLong);
    at::Tensor on_device = index;  // the index where the last tensor was: one copy per group and device
    for (const ChannelAxis& axis : group.axes) {
      const at::Tensor* t = tensors.find(axis.tensor);
      if (!t) continue;
      if (t->size(axis.dim) != static_cast<int64_t>(o.order.size()))
        group_bug(group, "'" + axis.tensor + "' has " + std::to_string(t->size(axis.dim)) +
                             " channels along dimension " + std::to_string(axis.dim) + ", the order " +
                             std::to_string(o.order.size()));
      // Into the tensor itself: its storage, layout (channels-last) and
      // identity (an optimiser holds it) stay.
      if (on_device.device() != t->device()) on_device = index.to(t->device());
      t->copy_(t->index_select(axis.dim, on_device));
    }
  }
}

}  // namespace nasctl::supernet
