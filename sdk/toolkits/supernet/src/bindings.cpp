// Activation-time checks of a space's bindings: every tensor of every layer
// bound once, from a shared tensor it fits in, through well-formed kernel
// steps. After these checks a forward pass cannot fail on a slice.
#include <map>
#include <string>
#include <utility>

#include "nasctl/error.hpp"
#include "sub_network_impl.hpp"

namespace nasctl::supernet::detail {

namespace {

[[noreturn]] void space_bug(const SharedStore& store, const std::string& what) {
  throw Error(store.name + ": " + what + "; fix: this is a bug in the space plugin's WeightSharing face, report it");
}

std::string where(const NetworkSpec& spec, int layer, TensorRole role) {
  return "layer " + std::to_string(layer) + " (" + spec.layers[layer].key() + ") tensor '" + to_string(role) + "'";
}

// Checks that the layer's `shape` fits in the shared tensor and resolves the
// kernel steps.
void check_fit(const SharedStore& store, const NetworkSpec& spec, const TensorBinding& b, BoundTensor& bound,
               const std::string& arch_text) {
  const SharedTensor& source = store.described[bound.source];
  const std::vector<int64_t>& shape = bound.shape;
  auto outside = [&](const std::string& why) {
    throw ArchitectureError("architecture '" + arch_text + "' is outside the " + store.name + ": " +
                            where(spec, b.layer, b.role) + " needs " + shape_text(shape) + " from '" + source.name +
                            "', which holds " + shape_text(source.shape) + why +
                            "; fix: choose an architecture of the space this super-network was built for");
  };
  if (shape.size() != source.shape.size())
    space_bug(store, where(spec, b.layer, b.role) + " of rank " + std::to_string(shape.size()) + " is bound to '" +
                         source.name + "' of rank " + std::to_string(source.shape.size()));
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] > source.shape[d]) outside("");
  }
  const bool kernel_cut = shape.size() == 4 && shape[2] < source.shape[2];
  if (!kernel_cut) {
    if (!b.kernel_steps.empty()) space_bug(store, where(spec, b.layer, b.role) + " has kernel steps but keeps the whole kernel");
    return;
  }
  if (shape[2] != shape[3]) space_bug(store, where(spec, b.layer, b.role) + " has a non-square kernel");
  if ((source.shape[2] - shape[2]) % 2 != 0) outside(" (a kernel centre needs sizes of equal parity)");
  int64_t previous = source.shape[2];
  for (const KernelStep& step : b.kernel_steps) {
    const int matrix = store.find(step.matrix);
    if (matrix < 0) space_bug(store, where(spec, b.layer, b.role) + " names kernel matrix '" + step.matrix + "', which is not shared");
    const SharedTensor& m = store.described[matrix];
    const int64_t taps = static_cast<int64_t>(step.kernel) * step.kernel;
    if (m.kind != SharedTensorKind::KernelTransform || m.shape != std::vector<int64_t>{taps, taps})
      space_bug(store, "kernel matrix '" + m.name + "' is not a [" + std::to_string(taps) + ", " +
                           std::to_string(taps) + "] kernel transformation for kernel " + std::to_string(step.kernel));
    if (step.kernel >= previous || (previous - step.kernel) % 2 != 0)
      space_bug(store, where(spec, b.layer, b.role) + " steps from kernel " + std::to_string(previous) + " to " +
                           std::to_string(step.kernel));
    bound.steps.emplace_back(step.kernel, matrix);
    previous = step.kernel;
  }
  if (!b.kernel_steps.empty() && previous != shape[2])
    space_bug(store, where(spec, b.layer, b.role) + " ends its kernel steps at " + std::to_string(previous) +
                         ", not at the layer's kernel " + std::to_string(shape[2]));
}

}  // namespace

std::vector<std::vector<BoundTensor>> resolve_bindings(const SharedStore& store, const NetworkSpec& spec,
                                                       const std::vector<TensorBinding>& bindings,
                                                       const std::string& arch_text) {
  const int layers = static_cast<int>(spec.layers.size());
  std::vector<std::vector<BoundTensor>> bound(layers);
  // (layer, role) -> position in bound[layer]
  std::map<std::pair<int, TensorRole>, std::size_t> slot;
  for (int i = 0; i < layers; ++i) {
    for (const LayerTensor& t : layer_tensors(spec.layers[i])) {
      slot.emplace(std::make_pair(i, t.role), bound[i].size());
      BoundTensor b;
      b.role = t.role;
      b.shape = t.shape;
      bound[i].push_back(b);
    }
  }
  for (const TensorBinding& b : bindings) {
    if (b.layer < 0 || b.layer >= layers)
      space_bug(store, "a binding names layer " + std::to_string(b.layer) + " of a " + std::to_string(layers) + "-layer network");
    const auto it = slot.find({b.layer, b.role});
    if (it == slot.end()) space_bug(store, where(spec, b.layer, b.role) + " is bound, but the layer has no such tensor");
    BoundTensor& target = bound[b.layer][it->second];
    if (target.source >= 0) space_bug(store, where(spec, b.layer, b.role) + " is bound twice");
    target.source = store.find(b.source);
    if (target.source < 0) space_bug(store, where(spec, b.layer, b.role) + " is bound to '" + b.source + "', which is not shared");
    check_fit(store, spec, b, target, arch_text);
  }
  for (int i = 0; i < layers; ++i) {
    for (const BoundTensor& b : bound[i]) {
      if (b.source < 0) space_bug(store, where(spec, i, b.role) + " is not bound");
    }
  }
  return bound;
}

}  // namespace nasctl::supernet::detail
