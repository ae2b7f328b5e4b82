#include "batch_memory.hpp"

#include <ATen/ATen.h>

#include <cstdlib>
#include <new>
#include <stdexcept>

namespace nasctl::datasets {
namespace {

// Cache-line alignment, as LibTorch's own CPU allocator gives (vector loads).
constexpr std::size_t kAlignment = 64;

float* new_block(std::size_t floats) {
  const std::size_t bytes = (floats * sizeof(float) + kAlignment - 1) / kAlignment * kAlignment;
  void* block = std::aligned_alloc(kAlignment, bytes);
  if (block == nullptr) throw std::bad_alloc();
  return static_cast<float*>(block);
}

}  // namespace

BatchMemory::BatchMemory(std::size_t block_floats, std::size_t kept_blocks)
    : block_floats_(block_floats), kept_blocks_(kept_blocks) {}

BatchMemory::~BatchMemory() {
  for (float* block : free_blocks_) std::free(block);
}

at::Tensor BatchMemory::tensor(at::IntArrayRef sizes) {
  if (static_cast<std::size_t>(c10::multiply_integers(sizes)) > block_floats_) {
    throw std::logic_error("BatchMemory: a tensor larger than its blocks was asked for");
  }
  float* block = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!free_blocks_.empty()) {
      block = free_blocks_.back();
      free_blocks_.pop_back();
    }
  }
  if (block == nullptr) block = new_block(block_floats_);
  // The deleter runs on whichever thread drops the last reference.
  return at::from_blob(
      block, sizes, [memory = shared_from_this()](void* data) { memory->give_back(static_cast<float*>(data)); },
      at::TensorOptions().dtype(at::kFloat));
}

void BatchMemory::give_back(float* block) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_blocks_.size() < kept_blocks_) {
      free_blocks_.push_back(block);
      return;
    }
  }
  std::free(block);
}

}  // namespace nasctl::datasets
