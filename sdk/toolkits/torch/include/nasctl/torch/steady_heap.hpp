// keep_freed_memory_mapped(): glibc heap thresholds for processes that run
// LibTorch forward passes over and over (latency measurement, per-candidate
// evaluation through a super-network, training). No LibTorch types.
#pragma once

namespace nasctl::libtorch {

// By default glibc hands large freed blocks (a forward pass's activations)
// back to the kernel after each pass (heap trimming, adaptive mmap
// threshold), so every pass pays page faults and munmap system calls that a
// runtime with its heap in steady state does not. Fixed thresholds keep
// freed memory mapped for the whole process. Measured on the CPU VM: a layer
// timed alone went from 4.5 ms to 0.83 ms (five measurements of the
// smallest OFA network spread 5.8-8.4 ms before, 5.9-6.0 ms after); one
// supernet evaluation (500 re-calibration + 2,000 validation images of
// Fashion-MNIST, 1 thread, a loaded VM) took 72 s CPU with glibc's defaults (34 s of it system time),
// 27.8 s with a 32 MB mmap threshold and 7.2 s with mmap off, same top-1.
// Idempotent, process-wide; a no-op where the C library is not glibc.
void keep_freed_memory_mapped();

}  // namespace nasctl::libtorch
