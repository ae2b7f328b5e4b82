// Log lines of the LibTorch side of the command line (lut, export, train).
// spdlog lives in a file of its own, compiled without LibTorch's include
// path: CUDA LibTorch 2.x bundles an fmt that spdlog's headers do not
// compile against (as in the `measure` and `supernet` plugins).
#pragma once

#include <string>

namespace nasctl::cli {

void log_info(const std::string& line);
void log_warn(const std::string& line);

}  // namespace nasctl::cli
