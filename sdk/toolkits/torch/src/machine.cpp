// What this process runs on: LibTorch build, CUDA devices, threads, BLAS.
#include <dlfcn.h>

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <string>

#include "nasctl/torch/latency.hpp"

namespace nasctl::libtorch {

namespace {

// OpenBLAS symbols, wherever OpenBLAS was loaded: LibTorch may live in a
// plugin opened with RTLD_LOCAL, so RTLD_DEFAULT alone can miss them.
void* openblas_symbol(const char* name) {
  for (const char* lib : {"libopenblas.so.0", "libblas.so.3", "libopenblas.so"}) {
    void* handle = dlopen(lib, RTLD_NOW | RTLD_NOLOAD);
    if (!handle) continue;
    void* symbol = dlsym(handle, name);
    dlclose(handle);  // NOLOAD took a reference; the library stays loaded
    if (symbol) return symbol;
  }
  return dlsym(RTLD_DEFAULT, name);
}

}  // namespace

bool built_with_cuda() {
#ifdef NASCTL_WITH_CUDA
  return true;
#else
  return false;
#endif
}

int cuda_device_count() { return built_with_cuda() ? static_cast<int>(torch::cuda::device_count()) : 0; }

std::string torch_version() { return TORCH_VERSION; }

std::string cuda_unavailable_reason() {
  if (!built_with_cuda())
    return "this nasctl was built against a CPU-only LibTorch " + torch_version() +
           "; fix: set device = \"cpu\", or rebuild nasctl against a CUDA LibTorch (CMAKE_PREFIX_PATH)";
  if (cuda_device_count() == 0)
    return "LibTorch " + torch_version() +
           " has CUDA but sees no GPU; fix: check the driver (nvidia-smi) and CUDA_VISIBLE_DEVICES, or set "
           "device = \"cpu\"";
  return {};
}

void set_threads(int threads) {
  at::set_num_threads(threads);
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(openblas_symbol("openblas_set_num_threads"))) set(threads);
}

std::string torch_build_setting(const std::string& name) {
  // at::show_config() lists "... BLAS_INFO=mkl, BUILD_TYPE=..., ..." and
  // lines such as "  - CPU capability usage: AVX2".
  const std::string config = at::show_config();
  const std::string key = name + (name.find(' ') == std::string::npos ? "=" : ": ");
  const auto at = config.find(key);
  if (at == std::string::npos) return "unknown";
  const auto begin = at + key.size();
  const auto end = config.find_first_of(",\n", begin);
  return config.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

std::string blas_in_use() {
  using GetConfig = const char* (*)();
  const std::string build = "LibTorch BLAS_INFO=" + torch_build_setting("BLAS_INFO");
  auto config = reinterpret_cast<GetConfig>(openblas_symbol("openblas_get_config"));
  if (!config) return build + " (OpenBLAS not loaded)";
  return std::string(config()) + " (" + build + ")";
}

}  // namespace nasctl::libtorch
