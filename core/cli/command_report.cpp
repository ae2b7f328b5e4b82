// `nasctl report RUN_DIR... [-o report.html]`: the HTML report of run
// folders (overlaid) and LUT check files.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "nasctl/report/report.hpp"

namespace nasctl::cli {

CLI::App* add_report_command(CLI::App& app, ReportOptions& options) {
  auto* report = app.add_subcommand(
      "report",
      "Write one self-contained HTML file with SVG plots: the Pareto fronts and hypervolume of run folders (several "
      "overlay), their front tables, timings, conditions and configs; a `lut check --json` file as predicted against "
      "measured latency");
  report->add_option("inputs", options.inputs, "Run folders written by `nasctl search`, or `nasctl lut check --json` files")
      ->required();
  report->add_option("-o,--out", options.out_file, "HTML file to write (default: report.html)");
  return report;
}

int run_report_command(const ReportOptions& options) {
  report::write_report(options.inputs, options.out_file);
  std::printf("Report: %s\n", options.out_file.c_str());
  return 0;
}

}  // namespace nasctl::cli
