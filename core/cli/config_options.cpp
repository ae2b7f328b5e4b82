// The config a command runs on: -c's file, or the embedded default, with the
// --set overrides applied. Compiled into nasctl and into the commands that
// load lazily (nasctl-commands-torch), which take the same options.
#include <filesystem>

#include "commands.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/run_dir.hpp"

namespace nasctl::cli {

runtime::RunConfig load_config(const ConfigOptions& options) {
  // A run's config.toml keeps the folder its relative paths resolve against.
  if (!options.run_dir.empty()) return runtime::load_run_config(options.run_dir, options.overrides);
  if (options.config_file.empty())
    return runtime::load_config_text(runtime::default_config_text(), "<embedded default>",
                                     std::filesystem::current_path().string(), options.overrides);
  return runtime::load_config_file(options.config_file, options.overrides);
}

}  // namespace nasctl::cli
