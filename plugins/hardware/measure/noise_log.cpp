#include "noise_log.hpp"

#include <spdlog/spdlog.h>

namespace nasctl::plugins {

void log_measure_warning(const std::string& line) { spdlog::warn("{}", line); }

}  // namespace nasctl::plugins
