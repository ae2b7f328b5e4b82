// The command line of `nasctl train` (the command runs in
// nasctl-commands-torch: command_train.cpp).
#include <CLI/CLI.hpp>

#include "command_train.hpp"

namespace nasctl::cli {

CLI::App* add_train_command(CLI::App& app, TrainCommandOptions& options) {
  auto* command = app.add_subcommand(
      "train",
      "Train the config's super-network ([space] with the weight-sharing face, [train]); writes checkpoint.pt (for "
      "the supernet accuracy source and export --checkpoint), train_state.pt and metrics.csv after every epoch");
  command->add_option("-c,--config", options.config.config_file, "TOML config file with [space] and [train]");
  command->add_option("--set", options.config.overrides, "Override a config key: dotted.key=value (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  command->add_option("-o,--out", options.out_dir, "Run folder (default: the config's `out`)");
  command->add_option("--resume", options.resume_dir,
                      "Continue the run in this folder after its last finished epoch (config: -c, else the run's "
                      "config.toml)");
  command->add_option("--stop-after-epochs", options.stop_after_epochs,
                      "Train at most this many epochs now, then stop as if interrupted (--resume continues)");
  return command;
}

}  // namespace nasctl::cli
