// `nasctl lut build` and `nasctl lut check`: their command-line options. The
// commands themselves (command_lut.cpp, command_lut_check.cpp) run in
// nasctl-commands-torch, loaded when one of them runs.
#include <CLI/CLI.hpp>

#include "command_lut.hpp"

namespace nasctl::cli {

CLI::App* add_lut_command(CLI::App& app, LutOptions& options) {
  auto* lut = app.add_subcommand("lut", "Latency lookup tables for the lut hardware plugin");
  lut->require_subcommand(1);
  auto common = [&options](CLI::App* cmd) {
    cmd->add_option("-c,--config", options.config.config_file, "TOML config (its space and [[hardware]])")->required();
    cmd->add_option("--set", options.config.overrides, "Override a config key: dotted.key=value (repeatable)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    cmd->add_option("--hardware", options.hardware, "The [[hardware]] instance that measures (e.g. plugin measure)")
        ->required();
    cmd->add_option("--metric", options.metric, "Its metric the table holds (default latency_ms)");
    cmd->add_option("--passes", options.passes,
                    "Measure everything N times in turn and keep the medians (on a shared machine, a drift in load "
                    "then spreads over all measurements instead of biasing some); default 1")
        ->check(CLI::Range(1, 1000));
  };
  auto* build = lut->add_subcommand(
      "build", "Measure every distinct layer signature of the config's space; resumable (appends, skips rows present)");
  common(build);
  build->add_option("-o,--out", options.out_file, "The table to write or extend (CSV)")->required();
  build->add_option("--samples", options.samples,
                    "Architectures sampled for spaces that cannot enumerate their layers (default 2000)")
      ->check(CLI::Range(1, 100000000));
  build->add_option("--limit", options.limit, "Measure at most N missing signatures now (0: all)");
  build->callback([&options] { options.action = LutOptions::Action::Build; });

  auto* check = lut->add_subcommand(
      "check", "Compare the table's sums with end-to-end measurements of random sub-networks; fit the calibration");
  common(check);
  check->add_option("--lut", options.lut_file, "The table to check")->required();
  check->add_option("-n,--networks", options.networks, "Random sub-networks to measure (default 50)")
      ->check(CLI::Range(3, 1000000));
  check->add_option("--seed", options.seed, "Seed of the sub-networks (default: the config's seed)");
  check->add_flag("--write-calibration", options.write_calibration,
                  "Write the chosen calibration form into the table (the lut plugin then uses it)");
  check->add_option("-o,--out,--json", options.json_file, "Report file, JSON (default: <lut>.check.json)");
  check->callback([&options] { options.action = LutOptions::Action::Check; });
  return lut;
}

}  // namespace nasctl::cli
