// `nasctl pick RUN_DIR [--where ...] [--best METRIC | --knee] [--json]
// [--export model.onnx]`: one architecture of a run's front, printed with its
// metrics and, on request, exported with the run's own config.
#include <cmath>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "lazy_commands.hpp"
#include "nasctl/error.hpp"
#include "nasctl/report/pick.hpp"
#include "nasctl/report/plots.hpp"
#include "nasctl/report/run_folder.hpp"

namespace nasctl::cli {

CLI::App* add_pick_command(CLI::App& app, PickOptions& options) {
  auto* pick = app.add_subcommand(
      "pick", "Pick one architecture of a run: its feasible evaluations that satisfy every --where, their Pareto front, "
              "then the knee point (default) or the best value of --best; print it, or export it with the run's config");
  pick->add_option("run", options.run_dir, "Run folder written by `nasctl search`")->required();
  pick->add_option("--where", options.where, "Bound on a metric: METRIC<=NUMBER (or <, >=, >, ==); repeatable")
      ->type_name("EXPR")
      ->allow_extra_args(false);
  auto* best = pick->add_option("--best", options.best,
                                "Best value of this metric instead of the knee: an objective, or max:METRIC / min:METRIC");
  auto* knee = pick->add_flag("--knee", "The knee point of the front (the default)");
  best->excludes(knee);
  pick->add_flag("--json", options.json, "Print the pick as JSON");
  pick->add_option("--export", options.export_file,
                   "Also write the picked network as a model file (.onnx or .pt), as `nasctl export` does with the run's "
                   "config");
  return pick;
}

int run_pick_command(const PickOptions& options) {
  if (options.export_file == "-")
    throw Error("--export -: pick prints the architecture on stdout, so the model cannot go there too; fix: give a "
                "file name, e.g. --export model.onnx");
  const report::RunFolder run = report::load_run_folder(options.run_dir);
  report::PickRequest request;
  if (!options.best.empty()) request = report::best_request(run, options.best);
  for (const auto& w : options.where) request.where.push_back(report::parse_condition(w, run.metrics));
  const report::PickResult picked = report::pick(run, request);
  const report::Evaluation& e = run.evaluations[picked.position];

  std::string where_text;
  for (const auto& c : request.where) where_text += (where_text.empty() ? "" : " and ") + c.text;
  if (options.json) {
    nlohmann::json metrics = nlohmann::json::object();
    for (std::size_t m = 0; m < run.metrics.size(); ++m)
      metrics[run.metrics[m]] = std::isfinite(e.values[m]) ? nlohmann::json(e.values[m]) : nlohmann::json(nullptr);
    nlohmann::json where = nlohmann::json::array();
    for (const auto& c : request.where) where.push_back(c.text);
    const nlohmann::json j{{"run", run.dir},          {"index", e.index},           {"arch", e.arch},
                           {"metrics", metrics},      {"rule", picked.rule},        {"where", where},
                           {"candidates", picked.candidates}, {"front", picked.front_size}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("Picked evaluation %zu of %s: the %s of the front of %zu (of %zu feasible evaluations%s%s).\n", e.index,
                run.dir.c_str(), picked.rule.c_str(), picked.front_size, picked.candidates,
                where_text.empty() ? "" : " with ", where_text.c_str());
    std::printf("arch: %s\n", e.arch.c_str());
    for (std::size_t m = 0; m < run.metrics.size(); ++m) {
      auto unit = run.units.find(run.metrics[m]);
      std::printf("%s = %s%s%s\n", run.metrics[m].c_str(), report::format_value(e.values[m]).c_str(),
                  unit == run.units.end() || unit->second.empty() ? "" : " ",
                  unit == run.units.end() ? "" : unit->second.c_str());
    }
  }
  std::fflush(stdout);
  if (options.export_file.empty()) return 0;
  ExportOptions export_options;
  export_options.config.run_dir = options.run_dir;
  export_options.arch = e.arch;
  export_options.out_file = options.export_file;
  export_options.summary_to_stderr = options.json;
  return run_export_command_lazily(export_options);
}

}  // namespace nasctl::cli
