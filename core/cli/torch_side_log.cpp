#include "torch_side_log.hpp"

#include <spdlog/spdlog.h>

namespace nasctl::cli {

void log_info(const std::string& line) { spdlog::info("{}", line); }
void log_warn(const std::string& line) { spdlog::warn("{}", line); }

}  // namespace nasctl::cli
