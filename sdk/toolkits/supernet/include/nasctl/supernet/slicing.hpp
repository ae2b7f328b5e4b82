// The one rule by which a sub-network's tensor is cut from a shared tensor
// (nasctl/weight_sharing.hpp): the first entries along every dimension,
// except a convolution weight's kernel dimensions, which keep the centre,
// either cut directly or passed through an elastic kernel's transformation
// matrices step by step (Once-for-All's DynamicSeparableConv2d). For code
// that links LibTorch itself: the engine and the tests.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace nasctl::supernet {

// One elastic-kernel step: the centre `kernel` x `kernel` of the filter so
// far, each [kernel^2] row x of taps (one per output/input channel pair)
// becoming x @ matrix^T.
struct KernelTransform {
  int64_t kernel = 0;
  at::Tensor matrix;  // [kernel^2, kernel^2]
};

// The tensor of `shape` cut from `shared`. For a 4-D `shared` whose kernel
// is larger than shape[2] x shape[3], the kernel centre is kept: through
// `steps` when given (the last step's kernel is shape[2]), directly
// otherwise. The result shares memory with `shared` where no step applies
// (a view: training updates reach the shared tensor) and is a new tensor
// where one does. Callers check that the shape fits (the engine does when
// it activates a sub-network).
at::Tensor cut_shared_tensor(const at::Tensor& shared, const std::vector<int64_t>& shape,
                             const std::vector<KernelTransform>& steps = {});

}  // namespace nasctl::supernet
