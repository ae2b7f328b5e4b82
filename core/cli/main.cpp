// nasctl: hardware-aware neural architecture search from the command line.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "command_lut.hpp"
#include "command_train.hpp"
#include "lazy_commands.hpp"
#include "nasctl/error.hpp"

namespace {

void add_config_options(CLI::App* command, nasctl::cli::ConfigOptions& options, bool config_required) {
  auto* c = command->add_option("-c,--config", options.config_file, "TOML config file");
  if (config_required) c->required();
  // One value per --set (repeat the option for more), so the values do not
  // swallow the positional architectures of `nasctl evaluate`.
  command->add_option("--set", options.overrides, "Override a config key: dotted.key=value (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
}

}  // namespace

int main(int argc, char** argv) {
  // Same seed, same results on any machine: LibTorch's and OpenBLAS's
  // parallel reductions round differently with different thread counts, and
  // predictor fits inside strategies (LINAS) would then propose different
  // networks. Library-level threading is therefore off unless the user asks
  // for it; set before any plugin or lazily loaded command (and so
  // LibTorch/OpenBLAS, which nasctl itself does not link) is loaded.
  // nasctl parallelises across candidates instead (`[run] threads`), and
  // `measure` sets its own thread count for the network it times.
  setenv("OMP_NUM_THREADS", "1", 0);
  setenv("OPENBLAS_NUM_THREADS", "1", 0);
  setenv("MKL_NUM_THREADS", "1", 0);
  // Logs and progress go to stderr, always: several commands print data on
  // stdout (evaluate's CSV, defaults' TOML, plugins --json), and a log line
  // there would corrupt a redirected file. Plugins log through the same
  // default logger (one shared libspdlog).
  spdlog::set_default_logger(spdlog::stderr_color_mt("nasctl"));

  CLI::App app{"nasctl: hardware-aware neural architecture search", "nasctl"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "nasctl " NASCTL_VERSION);
  // The flags every command shares mean the same everywhere and may come
  // before or after the subcommand (`nasctl lut check ... --no-progress`):
  // subcommands created below inherit fallthrough to these options.
  app.fallthrough();
  std::string log_level = "info";
  bool no_progress = false;
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_flag("--no-progress", no_progress,
               "Log lines at most every 10 s instead of a redrawn progress bar (also when stderr is a terminal)");

  nasctl::cli::SearchOptions search;
  auto* search_cmd = app.add_subcommand("search", "Search a space; writes evaluations.csv, pareto.csv and run.json");
  add_config_options(search_cmd, search.config, false);
  search_cmd->add_option("-o,--out", search.out_dir, "Output folder (default: the config's `out`)");
  search_cmd->add_option("--resume", search.resume_dir, "Continue the run in this folder to its budget");
  search_cmd->add_flag("--no-report", search.no_report, "Do not write report.html into the run folder at the end");

  nasctl::cli::ConfigOptions validate;
  auto* validate_cmd = app.add_subcommand("validate", "Check a config: keys, plugins, metric names, and that every provider prepares for the space (tables index, predictors fit); evaluates nothing");
  add_config_options(validate_cmd, validate, true);

  nasctl::cli::EvaluateOptions evaluate;
  auto* evaluate_cmd = app.add_subcommand("evaluate", "Print the metrics of given architectures as CSV");
  add_config_options(evaluate_cmd, evaluate.config, false);
  evaluate_cmd->add_option("architectures", evaluate.architectures, "Architecture strings");
  evaluate_cmd->add_option("--archs", evaluate.archs_file, "File with one architecture per line");
  evaluate_cmd->add_option("-o,--out", evaluate.out_file, "Write the CSV to this file (atomically) instead of stdout");

  nasctl::cli::PluginsOptions plugins;
  auto* plugins_cmd = app.add_subcommand("plugins", "List the plugins nasctl finds");
  plugins_cmd->add_option("--path", plugins.paths, "Extra plugin folder or file (repeatable)");
  plugins_cmd->add_flag("--json", plugins.json, "Machine-readable output");
  plugins_cmd->add_flag("--markdown", plugins.markdown, "Every plugin's config keys as Markdown (docs/config.md)");
  auto* show_cmd = plugins_cmd->add_subcommand("show", "Show one plugin's config keys");
  show_cmd->add_option("name", plugins.show, "Plugin name, or kind/name (e.g. search/hurricane)")->required();
  show_cmd->add_flag("--json", plugins.json, "Machine-readable output");
  show_cmd->add_option("--path", plugins.paths, "Extra plugin folder or file (repeatable)");

  nasctl::cli::ExportOptions export_options;
  auto* export_cmd = app.add_subcommand(
      "export",
      "Write one sub-network of the config's space as a model file: ONNX (.onnx) or a TorchScript archive (.pt, "
      "float NCHW in, logits out), with seeded random weights or, with --checkpoint, the weights it inherits from a "
      "trained super-network");
  add_config_options(export_cmd, export_options.config, false);
  export_cmd->add_option("--arch", export_options.arch, "Architecture string, in any form the space parses")->required();
  export_cmd->add_option("-o,--out", export_options.out_file,
                         "Model file to write; its extension picks the format: .onnx (ONNX) or .pt (TorchScript); - for "
                         "stdout")
      ->required();
  // --format, --batch and --checkpoint are checked by the command, for one-line errors.
  export_cmd->add_option("--format", export_options.format, "onnx or torchscript (default: from -o's extension)");
  export_cmd->add_option("--batch", export_options.batch, "Batch dimension of the ONNX model's input (default 1)");
  auto* export_seed =
      export_cmd->add_option("--seed", export_options.seed, "Seed of the random weights (the measure plugin's `seed`)");
  export_cmd->add_option("--checkpoint", export_options.checkpoint,
                         "Super-network checkpoint (torch.save, e.g. Once-for-All's) of the config's space: the "
                         "sub-network is exported with the weights and batch-norm statistics it inherits");
  export_cmd->add_option("--recalibrate", export_options.recalibrate,
                         "With --checkpoint: re-calibrate the sub-network's batch norms first (Once-for-All's "
                         "set_running_statistics) on \"fashion-mnist\" (its training part) or an image folder of "
                         "training images (ImageNet layout)");
  export_cmd->add_option("--calibration-images", export_options.calibration_images,
                         "Images --recalibrate uses, a seeded subset (default 2000, in batches of 200)");
  export_cmd->add_option("--calibration-seed", export_options.calibration_seed,
                         "Seed of that subset (default 0)");

  bool defaults_markdown = false;
  app.add_subcommand("defaults", "Print the embedded default config")
      ->add_flag("--markdown", defaults_markdown, "Instead, nasctl's own config keys as Markdown (docs/config.md)");
  nasctl::cli::SpaceSelectOptions space_select;
  nasctl::cli::SpaceInfoOptions space_info;
  auto* space_cmd = nasctl::cli::add_space_command(app, space_select, space_info);
  nasctl::cli::LutOptions lut;
  auto* lut_cmd = nasctl::cli::add_lut_command(app, lut);
  nasctl::cli::TrainCommandOptions train;
  auto* train_cmd = nasctl::cli::add_train_command(app, train);
  nasctl::cli::ReportOptions report;
  auto* report_cmd = nasctl::cli::add_report_command(app, report);
  nasctl::cli::PickOptions pick;
  auto* pick_cmd = nasctl::cli::add_pick_command(app, pick);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("[%H:%M:%S] %^%l%$ %v");
  search.no_progress = no_progress;
  lut.no_progress = no_progress;
  train.no_progress = no_progress;
  for (int i = 0; i < argc; ++i) search.command_line += (i ? " " : "") + std::string(argv[i]);

  try {
    if (*search_cmd) return nasctl::cli::run_search_command(search);
    if (*validate_cmd) return nasctl::cli::run_validate_command(validate);
    if (*evaluate_cmd) return nasctl::cli::run_evaluate_command(evaluate);
    if (*plugins_cmd) return nasctl::cli::run_plugins_command(plugins);
    if (*space_cmd && space_info.requested) return nasctl::cli::run_space_info_command(space_info);
    if (*space_cmd) return nasctl::cli::run_space_select_command(space_select);
    if (*lut_cmd) return nasctl::cli::run_lut_command_lazily(lut);
    if (*train_cmd) return nasctl::cli::run_train_command_lazily(train);
    if (*report_cmd) return nasctl::cli::run_report_command(report);
    if (*pick_cmd) return nasctl::cli::run_pick_command(pick);
    if (*export_cmd) {
      export_options.seed_given = export_seed->count() > 0;
      return nasctl::cli::run_export_command_lazily(export_options);
    }
    return nasctl::cli::run_defaults_command(defaults_markdown);
  } catch (const nasctl::Error& e) {
    std::fprintf(stderr, "nasctl: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nasctl: internal error: %s (please report this)\n", e.what());
    return 3;
  }
}
