#include <filesystem>
#include <cstdio>

#include "commands.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::cli {

runtime::RunConfig load_config(const ConfigOptions& options) {
  if (options.config_file.empty())
    return runtime::load_config_text(runtime::default_config_text(), "<embedded default>",
                                     std::filesystem::current_path().string(), options.overrides);
  return runtime::load_config_file(options.config_file, options.overrides);
}

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
