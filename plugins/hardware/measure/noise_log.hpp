// The measure plugin's one log line (the noise warning), compiled apart from
// the LibTorch-facing code: see CMakeLists.txt.
#pragma once

#include <string>

namespace nasctl::hardware::measure {

// spdlog::warn, which nasctl writes to stderr.
void log_measure_warning(const std::string& line);

}  // namespace nasctl::hardware::measure
