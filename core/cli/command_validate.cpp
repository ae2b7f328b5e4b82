#include <filesystem>
#include <cstdio>

#include "commands.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::cli {

int run_validate_command(const ConfigOptions& options) {
  auto session = runtime::open_session(load_config(options));
  std::printf("%s: valid (space %s, search %s, %zu metric providers, %zu objectives, %zu constraints)\n",
              session->config.file.c_str(), session->config.space.plugin.c_str(), session->config.search.plugin.c_str(),
              session->providers.size(), session->config.objectives.size(), session->config.constraints.size());
  return 0;
}

int run_defaults_command() {
  std::fputs(runtime::default_config_text().c_str(), stdout);
  return 0;
}

}  // namespace nasctl::cli
