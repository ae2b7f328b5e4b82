// A 4-d tensor in channels-last (NHWC) memory with the strides LibTorch
// itself gives channels-last tensors, for the super-network's weights and
// the images fed to it when channels_last is on.
//
// Why not Tensor::contiguous(ChannelsLast): where a dimension has size 1
// (depthwise filters [C, 1, k, k], 1x1 filters [out, in, 1, 1], grey images
// [N, 1, H, W]) the NCHW strides also count as channels-last contiguous, so
// contiguous() keeps them, and a convolution then reads the tensor as NCHW
// (suggest_memory_format) and picks NCHW kernels: on a GPU in bf16, ATen's
// own depthwise kernels and NCHW batch norms at a third of cuDNN's NHWC
// speed (docs/results.md, "Training speed"). PyTorch's
// module.to(memory_format=torch.channels_last) copies into these strides.
// Header-only: for code that links LibTorch itself.
#pragma once

#include <ATen/ATen.h>

namespace nasctl::libtorch {

inline at::Tensor channels_last(const at::Tensor& t) {
  if (t.dim() != 4) return t;
  const int64_t c = t.size(1), h = t.size(2), w = t.size(3);
  if (t.stride(1) == 1 && t.stride(3) == c && t.stride(2) == c * w && t.stride(0) == c * w * h) return t;
  return t.clone(at::MemoryFormat::ChannelsLast);
}

}  // namespace nasctl::libtorch
