#include "nasctl/supernet/super_network.hpp"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <c10/core/Device.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>

#include <optional>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/supernet/checkpoint.hpp"
#include "nasctl/torch/channels_last.hpp"
#include "nasctl/weight_sharing.hpp"
#include "sub_network_impl.hpp"

namespace nasctl::supernet {

struct SuperNetwork::Impl {
  const SearchSpace* space = nullptr;
  const WeightSharing* sharing = nullptr;
  std::shared_ptr<detail::SharedStore> store;
};

namespace {

const WeightSharing& sharing_of(const SearchSpace& space) {
  const auto* sharing = dynamic_cast<const WeightSharing*>(&space);
  if (!sharing)
    throw Error("the search space has no weight-sharing super-network (it does not implement nasctl::WeightSharing); "
                "fix: use a space that has one, e.g. ofa-mobilenetv3");
  return *sharing;
}

}  // namespace

std::unique_ptr<SuperNetwork::Impl> SuperNetwork::describe(const SearchSpace& space) {
  auto impl = std::make_unique<Impl>();
  impl->space = &space;
  impl->sharing = &sharing_of(space);
  impl->store = std::make_shared<detail::SharedStore>(detail::describe_store(*impl->sharing));
  return impl;
}

SuperNetwork::SuperNetwork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SuperNetwork::SuperNetwork(const SearchSpace& space, uint64_t seed) : impl_(describe(space)) {
  detail::initialise_store(*impl_->store, seed);
}

SuperNetwork SuperNetwork::from_checkpoint(const SearchSpace& space, const std::string& path) {
  std::unique_ptr<Impl> impl = describe(space);
  detail::load_store(*impl->store, read_checkpoint(path), path);
  return SuperNetwork(std::move(impl));
}

SuperNetwork::~SuperNetwork() = default;
SuperNetwork::SuperNetwork(SuperNetwork&& other) noexcept = default;
SuperNetwork& SuperNetwork::operator=(SuperNetwork&& other) noexcept = default;

void SuperNetwork::load(const StateDict& state, const std::string& origin) {
  detail::load_store(*impl_->store, state, origin);
}

StateDict SuperNetwork::state_dict() const {
  StateDict state;
  const detail::SharedStore& store = *impl_->store;
  for (std::size_t i = 0; i < store.described.size(); ++i) state.set(store.described[i].name, store.tensors[i]);
  return state;
}

void SuperNetwork::save(const std::string& path) const { write_checkpoint(state_dict(), path); }

void SuperNetwork::to(const std::string& device, bool channels_last) {
  std::optional<c10::Device> target;
  try {
    target = c10::Device(device);
  } catch (const c10::Error&) {
    throw Error("device '" + device + "' is not a device name LibTorch knows; fix: use \"cpu\", \"cuda\" or \"cuda:N\"");
  }
  if (target->is_cuda() && !torch::cuda::is_available())
    throw Error("device '" + device + "': this LibTorch has no CUDA or sees no GPU; fix: use \"cpu\", or a CUDA build "
                "of LibTorch on a machine with a GPU");
  c10::NoGradGuard no_grad;
  for (at::Tensor& t : impl_->store->tensors) {
    t = t.to(*target);
    if (channels_last) t = libtorch::channels_last(t);
  }
}

SubNetwork SuperNetwork::activate(const Architecture& arch) const {
  const SearchSpace& space = *impl_->space;
  auto sub = std::make_unique<SubNetwork::Impl>();
  sub->store = impl_->store;
  sub->arch = arch;
  sub->spec = space.lower(arch);  // checks the architecture
  const std::vector<TensorBinding> bindings = impl_->sharing->bind(arch, sub->spec);
  sub->bound = detail::resolve_bindings(*impl_->store, sub->spec, bindings, space.to_string(arch));
  sub->last_use = detail::last_uses(sub->spec);
  sub->own_mean.resize(sub->spec.layers.size());
  sub->own_var.resize(sub->spec.layers.size());
  return SubNetwork(std::move(sub));
}

const std::string& SuperNetwork::name() const { return impl_->store->name; }

int64_t SuperNetwork::element_count() const {
  int64_t count = 0;
  for (const at::Tensor& t : impl_->store->tensors) count += t.numel();
  return count;
}

}  // namespace nasctl::supernet
