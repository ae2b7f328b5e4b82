// Log lines of the supernet source. spdlog lives in a file of its own,
// compiled without LibTorch's include path: CUDA LibTorch 2.11 bundles an
// fmt that spdlog's headers do not compile against (as in `measure`).
#pragma once

#include <string>

namespace nasctl::accuracy::supernet {

void log_info(const std::string& line);

}  // namespace nasctl::accuracy::supernet
