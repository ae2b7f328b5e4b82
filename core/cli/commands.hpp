// One function per nasctl command; main.cpp wires them to CLI11.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nasctl::cli {

struct ConfigOptions {
  std::string config_file;             // empty: the embedded default
  std::string run_dir;                 // instead of config_file: a run folder's own config.toml (`pick --export`)
  std::vector<std::string> overrides;  // --set dotted.key=value
};

struct SearchOptions {
  ConfigOptions config;
  std::string out_dir;     // -o; empty: the config's `out`
  std::string resume_dir;  // --resume
  bool no_progress = false;  // the global --no-progress
  bool no_report = false;    // --no-report: no report.html at the end
  std::string command_line;
};

struct EvaluateOptions {
  ConfigOptions config;
  std::vector<std::string> architectures;
  std::string archs_file;
  std::string out_file;  // -o; empty: stdout
};

struct PluginsOptions {
  std::vector<std::string> paths;
  bool json = false;
  bool markdown = false;  // the plugin reference section of docs/config.md
  std::string show;  // plugin name for `plugins show`
};

struct SpaceSelectOptions {
  ConfigOptions config;
  std::string hardware;  // [[hardware]] instance name
  std::string metric;    // its latency metric; empty: the first named *latency*
  std::size_t top = 4;
  std::string capacity = "macs";
  bool no_skip = false;
  std::string out_file;
};

// `nasctl space info` (command_space_info.cpp).
struct SpaceInfoOptions {
  ConfigOptions config;
  bool json = false;
  bool requested = false;  // `space info` was the subcommand given
};

struct ExportOptions {
  ConfigOptions config;
  std::string arch;      // --arch, in any form the config's space parses
  std::string out_file;  // -o; "-": stdout
  std::string format;    // --format; empty: from -o's extension, else the build's default
  int64_t batch = 1;
  uint64_t seed = 0;     // weights, as the measure plugin's `seed`
  bool seed_given = false;
  std::string checkpoint;  // --checkpoint: a super-network checkpoint (torch.save) to take the weights from
  // --recalibrate: "fashion-mnist" or an image folder whose images re-calibrate the batch norms
  std::string recalibrate;
  int64_t calibration_images = 2000;  // a subset this large, drawn with calibration_seed
  uint64_t calibration_seed = 0;
  bool summary_to_stderr = false;  // `pick --json --export`: stdout holds the JSON alone
};

int run_search_command(const SearchOptions& options);
int run_validate_command(const ConfigOptions& options);
int run_evaluate_command(const EvaluateOptions& options);
int run_plugins_command(const PluginsOptions& options);
// The embedded default config; with `markdown`, the reference of nasctl's own
// config keys (docs/config.md).
int run_defaults_command(bool markdown);
int run_space_select_command(const SpaceSelectOptions& options);
int run_space_info_command(const SpaceInfoOptions& options);
int run_export_command(const ExportOptions& options);

}  // namespace nasctl::cli

namespace CLI {
class App;
}

namespace nasctl::cli {
// `nasctl space select` (command_space.cpp) and `nasctl space info`
// (command_space_info.cpp): registers the commands and their options.
CLI::App* add_space_command(CLI::App& app, SpaceSelectOptions& options, SpaceInfoOptions& info);
CLI::App* add_space_info_command(CLI::App& space, SpaceInfoOptions& options);

}  // namespace nasctl::cli

namespace nasctl::runtime {
struct RunConfig;
}

namespace nasctl::cli {
// `nasctl report` (command_report.cpp) and `nasctl pick` (command_pick.cpp):
// each registers itself and returns its subcommand; run_* runs it.
struct ReportOptions {
  std::vector<std::string> inputs;  // run folders and LUT check files
  std::string out_file = "report.html";
};
struct PickOptions {
  std::string run_dir;
  std::vector<std::string> where;  // --where METRIC<=NUMBER (repeatable)
  std::string best;                // --best [max:|min:]METRIC; empty: the knee point
  bool json = false;
  std::string export_file;         // --export: hand the pick to `nasctl export -o`
};
CLI::App* add_report_command(CLI::App& app, ReportOptions& options);
CLI::App* add_pick_command(CLI::App& app, PickOptions& options);
int run_report_command(const ReportOptions& options);
int run_pick_command(const PickOptions& options);

// The config of -c (or the embedded default) with --set overrides applied.
runtime::RunConfig load_config(const ConfigOptions& options);
}  // namespace nasctl::cli
