// Memory for the image batches of one read, recycled: when the caller drops
// a batch's tensor its block comes back here and a later batch is written
// into it. A read of many batches then touches new memory only for its
// first few: every new page of a large allocation costs a page fault and
// the kernel's zeroing (glibc maps each batch-sized block afresh): with the
// decode buffers, about 14% of a 224 read's perf samples on the 2-core VM.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include <ATen/core/Tensor.h>

namespace nasctl::datasets {

class BatchMemory : public std::enable_shared_from_this<BatchMemory> {
 public:
  // Blocks hold `block_floats` floats; at most `kept_blocks` wait for reuse.
  BatchMemory(std::size_t block_floats, std::size_t kept_blocks);
  ~BatchMemory();
  BatchMemory(const BatchMemory&) = delete;
  BatchMemory& operator=(const BatchMemory&) = delete;

  // A contiguous float32 tensor of `sizes` (at most block_floats elements)
  // in a recycled block or a new one. The tensor keeps this object alive.
  at::Tensor tensor(at::IntArrayRef sizes);

 private:
  void give_back(float* block);

  std::size_t block_floats_;
  std::size_t kept_blocks_;
  std::mutex mutex_;
  std::vector<float*> free_blocks_;
};

}  // namespace nasctl::datasets
