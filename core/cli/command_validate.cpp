#include <algorithm>
#include <filesystem>
#include <cstdio>

#include "command_train.hpp"
#include "commands.hpp"
#include "key_reference.hpp"
#include "nasctl/runtime/core_keys.hpp"
#include "nasctl/runtime/config.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::cli {

int run_validate_command(const ConfigOptions& options) {
  runtime::RunConfig config = load_config(options);
  // [train]'s keys were checked while loading; what only the space and the
  // data can tell (phases naming variables the space lacks, the input
  // shape, a batch larger than the training images) is checked by `nasctl
  // train`'s own code, which needs LibTorch and so runs in the lazily loaded
  // torch-side commands.
  if (config.train) {
    TrainCommandOptions train;
    train.config = options;
    train.check_only = true;
    run_train_command_lazily(train);
  }
  // A config that only describes a space or only trains has no strategy or
  // providers to build.
  if (config.only_describes_space()) {
    auto session = runtime::open_session(std::move(config), false);
    std::printf("%s: valid (space %s only: for nasctl space info; a search needs [search], objectives, a budget and "
                "a metric provider)\n",
                session->config.file.c_str(), session->config.space.plugin.c_str());
    return 0;
  }
  if (!config.searches) {
    const std::size_t phases = std::max<std::size_t>(1, config.train->phases.size());
    auto session = runtime::open_session(std::move(config), false);
    std::printf("%s: valid (space %s, trains its super-network in %zu phase(s))\n", session->config.file.c_str(),
                session->config.space.plugin.c_str(), phases);
    return 0;
  }
  auto session = runtime::open_session(std::move(config));
  std::printf("%s: valid (space %s, search %s, %zu metric providers, %zu objectives, %zu constraints)\n",
              session->config.file.c_str(), session->config.space.plugin.c_str(), session->config.search.plugin.c_str(),
              session->providers.size(), session->config.objectives.size(), session->config.constraints.size());
  return 0;
}

// The reference of nasctl's own keys in docs/config.md, generated from their
// declarations (core_keys.cpp) as the plugin reference is from the plugins'.
void print_core_key_reference() {
  for (const auto& table : runtime::core_tables()) {
    std::printf("### %s\n\n", table.heading.c_str());
    if (!table.doc.empty()) std::printf("%s\n\n", table.doc.c_str());
    std::fputs(markdown_key_table(table.keys).c_str(), stdout);
    std::printf("\n");
  }
}

int run_defaults_command(bool markdown) {
  if (markdown) print_core_key_reference();
  else std::fputs(runtime::default_config_text().c_str(), stdout);
  return 0;
}

}  // namespace nasctl::cli
