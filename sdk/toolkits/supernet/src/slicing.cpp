#include "nasctl/supernet/slicing.hpp"

#include <ATen/ATen.h>

#include "nasctl/torch/channels_last.hpp"

namespace nasctl::supernet {

namespace {

// The centre `kernel` x `kernel` of a [out, in, K, K] filter.
at::Tensor kernel_centre(const at::Tensor& filter, int64_t kernel) {
  const int64_t start = (filter.size(2) - kernel) / 2;
  return filter.narrow(2, start, kernel).narrow(3, start, kernel);
}

}  // namespace

at::Tensor cut_shared_tensor(const at::Tensor& shared, const std::vector<int64_t>& shape,
                             const std::vector<KernelTransform>& steps) {
  const bool smaller_kernel = shared.dim() == 4 && shape.size() == 4 && shape[2] < shared.size(2);
  at::Tensor cut = shared;
  // Leading dimensions (channels, features): the first entries.
  const int64_t leading = smaller_kernel ? 2 : static_cast<int64_t>(shape.size());
  for (int64_t d = 0; d < leading; ++d) {
    if (cut.size(d) != shape[d]) cut = cut.narrow(d, 0, shape[d]);
  }
  if (!smaller_kernel) return cut;
  if (steps.empty()) return kernel_centre(cut, shape[2]);
  // Each step: centre, flatten each channel's taps, x @ M^T, back to k x k.
  for (const KernelTransform& step : steps) {
    const at::Tensor centre = kernel_centre(cut, step.kernel).contiguous();
    const int64_t out = centre.size(0), in = centre.size(1);
    const at::Tensor rows = centre.view({out * in, step.kernel * step.kernel});
    cut = at::linear(rows, step.matrix).view({out, in, step.kernel, step.kernel});
  }
  // Shared tensors held channels-last (SuperNetwork::to) give channels-last
  // results, as the uncut ones are: one copy here instead of a transpose in
  // every convolution that reads it. (Their strides, not is_contiguous:
  // a depthwise [C, 1, k, k] filter is contiguous in both layouts.)
  if (shared.suggest_memory_format() == at::MemoryFormat::ChannelsLast) cut = libtorch::channels_last(cut);
  return cut;
}

}  // namespace nasctl::supernet
