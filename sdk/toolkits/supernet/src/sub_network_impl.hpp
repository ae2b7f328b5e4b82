// What a SubNetwork is inside: its spec, and for every tensor of every layer
// where in the super-network's store it is cut from (checked once, when the
// sub-network is activated; cut again on every pass).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "forward.hpp"
#include "nasctl/supernet/super_network.hpp"
#include "nasctl/weight_sharing.hpp"
#include "shared_store.hpp"

namespace nasctl::supernet {

namespace detail {

struct BoundTensor {
  TensorRole role = TensorRole::Weight;
  std::vector<int64_t> shape;  // the layer's (layer_tensors)
  int source = -1;             // index into the store
  // Elastic-kernel steps: (kernel, index of the matrix in the store).
  std::vector<std::pair<int64_t, int>> steps;
};

// Checks `bindings` against the spec and the store and resolves names to
// store indices, one list per layer in layer_tensors order. A binding that
// does not fit the store throws ArchitectureError naming `arch_text`; a
// binding that breaks the WeightSharing contract throws Error (a space bug).
std::vector<std::vector<BoundTensor>> resolve_bindings(const SharedStore& store, const NetworkSpec& spec,
                                                       const std::vector<TensorBinding>& bindings,
                                                       const std::string& arch_text);

// Takes every tensor of `state` into `store` (SuperNetwork::load's rules);
// nothing is changed when it throws.
void load_store(SharedStore& store, const StateDict& state, const std::string& origin);

}  // namespace detail

struct SubNetwork::Impl {
  std::shared_ptr<detail::SharedStore> store;
  Architecture arch;
  NetworkSpec spec;
  std::vector<std::vector<detail::BoundTensor>> bound;  // per layer
  std::vector<int> last_use;
  bool training = false;
  // Re-calibrated running statistics per layer, owned by this sub-network;
  // undefined until recalibrate_batch_norm.
  std::vector<at::Tensor> own_mean, own_var;
  // cache_tensors(): every layer's tensors cut once, on cache_device.
  std::vector<detail::LayerTensors> cached;
  c10::Device cache_device = c10::Device(c10::kCPU);

  // The layer's tensors cut from the store (views where no kernel step
  // applies), with the sub-network's own statistics where it has them.
  detail::LayerTensors materialise(int layer) const;
  // What an eval-mode pass or a re-calibration reads: the cached tensors
  // where they are valid (with this sub-network's own statistics), else
  // materialise(layer).
  detail::LayerTensors tensors_for_eval(int layer) const;
  // Throws nasctl::Error unless `input` is [batch, C, H, W] of spec.input.
  void check_input(const at::Tensor& input) const;
};

}  // namespace nasctl::supernet
