// What `channels_last = true` does to a 4-d tensor (the super-network's
// weights, their cuts, the images fed to it), per device.
//
// On CUDA: NHWC strides, the ones PyTorch's
// module.to(memory_format=torch.channels_last) copies into. Not
// Tensor::contiguous(ChannelsLast): where a dimension has size 1 (depthwise
// filters [C, 1, k, k], 1x1 filters [out, in, 1, 1], grey images [N, 1, H, W])
// the NCHW strides also count as channels-last contiguous, so contiguous()
// keeps them, a convolution reads the tensor as NCHW (suggest_memory_format)
// and picks NCHW kernels: on an H100 in bf16, ATen's own depthwise kernels and
// NCHW batch norms, 50 + 20 ms of an 82 ms step against cuDNN's NHWC kernels
// in PyTorch's 27 ms (docs/results.md, "GPU session of 2026-12-07").
//
// On the CPU: contiguous(ChannelsLast), as before. The gain above is cuDNN's;
// on the CPU, Debian's LibTorch 1.13 runs these size-1 tensors in NHWC
// strides through kernels whose gradients varied between runs of the same
// step (0.4 % in about one run of six on the 2-core VM), and CPU training
// promises the same weights for the same seed.
//
// Header-only: for code that links LibTorch itself.
#pragma once

#include <ATen/ATen.h>

namespace nasctl::libtorch {

// `t` with NHWC strides on any device: itself when it has them, else a copy.
inline at::Tensor nhwc_strided(const at::Tensor& t) {
  if (t.dim() != 4) return t;
  const int64_t c = t.size(1), h = t.size(2), w = t.size(3);
  if (t.stride(1) == 1 && t.stride(3) == c && t.stride(2) == c * w && t.stride(0) == c * w * h) return t;
  return t.clone(at::MemoryFormat::ChannelsLast);
}

// `t` laid out for channels-last computation on its own device (see above).
inline at::Tensor channels_last(const at::Tensor& t) {
  if (t.dim() != 4) return t;
  return t.is_cuda() ? nhwc_strided(t) : t.contiguous(at::MemoryFormat::ChannelsLast);
}

}  // namespace nasctl::libtorch
