#include "nasctl/torch/steady_heap.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nasctl::libtorch {

void keep_freed_memory_mapped() {
#if defined(__GLIBC__)
  static const bool once = [] {
    ::mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // the largest glibc accepts on 64-bit
    // Blocks above even that (a batch of 500 expanded 28x28 maps is over
    // 100 MB) would still be mapped per pass: no mmap for the main arena.
    // Threads' arenas still map what their heaps cannot hold (glibc's
    // fallback), so nothing fails for want of it.
    ::mallopt(M_MMAP_MAX, 0);
    ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return true;
  }();
  (void)once;
#endif
}

}  // namespace nasctl::libtorch
