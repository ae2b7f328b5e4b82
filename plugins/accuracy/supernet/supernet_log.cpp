#include "supernet_log.hpp"

#include <spdlog/spdlog.h>

namespace nasctl::accuracy::supernet {

void log_info(const std::string& line) { spdlog::info("{}", line); }

}  // namespace nasctl::accuracy::supernet
