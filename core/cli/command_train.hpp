// `nasctl train -c FILE [-o DIR] [--resume DIR]`: trains the [space]'s
// super-network as the config's [train] table says (docs/train.md). The
// options are parsed in nasctl (command_train_options.cpp); the command
// itself needs LibTorch and runs in nasctl-commands-torch
// (command_train.cpp), loaded lazily.
#pragma once

#include <cstdint>
#include <string>

#include "commands.hpp"

namespace CLI {
class App;
}

namespace nasctl::cli {

struct TrainCommandOptions {
  ConfigOptions config;        // -c; with --resume and no -c: the run's config.toml
  std::string out_dir;         // -o; empty: the config's `out`
  std::string resume_dir;      // --resume
  int64_t stop_after_epochs = 0;  // --stop-after-epochs: train at most this many epochs now
  bool no_progress = false;    // the global --no-progress
  // `nasctl validate` of a config with [train]: every check a training
  // makes before it writes anything (phases against the space's variables,
  // input shape, device, dataset and batch size), then return 0 without
  // training or writing.
  bool check_only = false;
};

CLI::App* add_train_command(CLI::App& app, TrainCommandOptions& options);
int run_train_command(const TrainCommandOptions& options);
int run_train_command_lazily(const TrainCommandOptions& options);

}  // namespace nasctl::cli
