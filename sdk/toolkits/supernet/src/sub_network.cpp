// SubNetwork: cutting its tensors from the store, the eval and train forward
// passes, and its stand-alone state. Re-calibration is recalibration.cpp.
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <string>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/supernet/slicing.hpp"
#include "sub_network_impl.hpp"

namespace nasctl::supernet {

namespace {

bool is_statistic(TensorRole role) {
  return role == TensorRole::BatchNormMean || role == TensorRole::BatchNormVariance;
}

}  // namespace

detail::LayerTensors SubNetwork::Impl::materialise(int layer) const {
  detail::LayerTensors out;
  for (const detail::BoundTensor& b : bound[layer]) {
    at::Tensor& slot = out[static_cast<int>(b.role)];
    // Own statistics go where the shared tensors are (a no-op unless the
    // super-network moved after the re-calibration).
    const c10::Device device = store->tensors[b.source].device();
    if (b.role == TensorRole::BatchNormMean && own_mean[layer].defined()) {
      slot = own_mean[layer].to(device);
      continue;
    }
    if (b.role == TensorRole::BatchNormVariance && own_var[layer].defined()) {
      slot = own_var[layer].to(device);
      continue;
    }
    std::vector<KernelTransform> steps;
    for (const auto& [kernel, matrix] : b.steps) steps.push_back({kernel, store->tensors[matrix]});
    slot = cut_shared_tensor(store->tensors[b.source], b.shape, steps);
  }
  return out;
}

detail::LayerTensors SubNetwork::Impl::tensors_for_eval(int layer) const {
  if (cached.empty() || store->tensors.empty() || store->tensors.front().device() != cache_device)
    return materialise(layer);
  detail::LayerTensors out = cached[layer];
  // Statistics measured after the cache was made take its place.
  if (own_mean[layer].defined()) {
    out[static_cast<int>(TensorRole::BatchNormMean)] = own_mean[layer].to(cache_device);
    out[static_cast<int>(TensorRole::BatchNormVariance)] = own_var[layer].to(cache_device);
  }
  return out;
}

void SubNetwork::Impl::check_input(const at::Tensor& input) const {
  const TensorShape& s = spec.input;
  if (input.defined() && input.dim() == 4 && input.size(1) == s.channels && input.size(2) == s.height &&
      input.size(3) == s.width)
    return;
  const std::string got = input.defined() ? detail::shape_text(input.sizes().vec()) : "no tensor";
  throw Error("sub-network '" + spec.name + "': the input is " + got + ", but the sub-network takes [batch, " +
              std::to_string(s.channels) + ", " + std::to_string(s.height) + ", " + std::to_string(s.width) +
              "]; fix: give images at the architecture's resolution");
}

SubNetwork::SubNetwork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SubNetwork::~SubNetwork() = default;
SubNetwork::SubNetwork(SubNetwork&& other) noexcept = default;
SubNetwork& SubNetwork::operator=(SubNetwork&& other) noexcept = default;

const NetworkSpec& SubNetwork::spec() const { return impl_->spec; }
const Architecture& SubNetwork::architecture() const { return impl_->arch; }
void SubNetwork::train(bool on) { impl_->training = on; }
bool SubNetwork::is_training() const { return impl_->training; }

bool SubNetwork::recalibrated() const {
  for (const at::Tensor& mean : impl_->own_mean) {
    if (mean.defined()) return true;
  }
  return false;
}

at::Tensor SubNetwork::forward(const at::Tensor& input) {
  impl_->check_input(input);
  const bool training = impl_->training;
  const detail::BatchNorm batch_norm = [training](int, const at::Tensor& x, const detail::LayerTensors& t) {
    // Training: batch statistics, running ones updated in place (they are
    // views of the shared tensors, or this sub-network's own).
    return at::batch_norm(x, detail::tensor_of(t, TensorRole::BatchNormScale),
                          detail::tensor_of(t, TensorRole::BatchNormShift),
                          detail::tensor_of(t, TensorRole::BatchNormMean),
                          detail::tensor_of(t, TensorRole::BatchNormVariance), training,
                          detail::kBatchNormMomentum, detail::kBatchNormEps, /*cudnn_enabled=*/true);
  };
  const Impl& impl = *impl_;
  if (training)
    return detail::run_network(
        impl.spec, impl.last_use, [&impl](int layer) { return impl.materialise(layer); }, batch_norm, input);
  return detail::run_network(
      impl.spec, impl.last_use, [&impl](int layer) { return impl.tensors_for_eval(layer); }, batch_norm, input);
}

int64_t SubNetwork::cache_tensors(bool channels_last) {
  c10::NoGradGuard no_grad;
  Impl& impl = *impl_;
  impl.cached.clear();
  if (impl.store->tensors.empty()) return 0;
  std::vector<detail::LayerTensors> cache(impl.bound.size());
  int64_t bytes = 0;
  for (std::size_t layer = 0; layer < impl.bound.size(); ++layer) {
    detail::LayerTensors t = impl.materialise(static_cast<int>(layer));
    for (at::Tensor& slot : t) {
      if (!slot.defined()) continue;
      // Always a copy, so the cache is a snapshot also of tensors the cut
      // leaves whole.
      slot = slot.detach().clone(channels_last && slot.dim() == 4 ? at::MemoryFormat::ChannelsLast
                                                                   : at::MemoryFormat::Contiguous);
      bytes += slot.numel() * static_cast<int64_t>(slot.element_size());
    }
    cache[layer] = std::move(t);
  }
  impl.cached = std::move(cache);
  impl.cache_device = impl.store->tensors.front().device();
  return bytes;
}

void SubNetwork::drop_cached_tensors() { impl_->cached.clear(); }

bool SubNetwork::has_cached_tensors() const { return !impl_->cached.empty(); }

StateDict SubNetwork::state_dict() const {
  c10::NoGradGuard no_grad;
  StateDict state;
  for (std::size_t layer = 0; layer < impl_->bound.size(); ++layer) {
    const detail::LayerTensors tensors = impl_->materialise(static_cast<int>(layer));
    for (const detail::BoundTensor& b : impl_->bound[layer]) {
      state.set("l" + std::to_string(layer) + "_" + to_string(b.role),
                tensors[static_cast<int>(b.role)].detach().clone(at::MemoryFormat::Contiguous));
    }
  }
  return state;
}

int64_t SubNetwork::parameter_count() const {
  int64_t count = 0;
  for (const auto& layer : impl_->bound) {
    for (const detail::BoundTensor& b : layer) {
      if (is_statistic(b.role)) continue;
      int64_t elements = 1;
      for (int64_t d : b.shape) elements *= d;
      count += elements;
    }
  }
  return count;
}

}  // namespace nasctl::supernet
