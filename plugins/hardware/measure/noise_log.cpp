#include "noise_log.hpp"

#include <spdlog/spdlog.h>

namespace nasctl::hardware::measure {

void log_measure_warning(const std::string& line) { spdlog::warn("{}", line); }

}  // namespace nasctl::hardware::measure
