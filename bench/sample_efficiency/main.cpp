// sample_efficiency_hv: hypervolume against the number of real evaluations
// for search runs written by `nasctl search`, summarised over seeds.
//
//   sample_efficiency_hv --objective accuracy.top1_pred:max --objective cost.macs:min:1e-6
//       --reference 70,700 --checkpoints 25,50,100 --reach nsga2@500
//       --front "nsga2 100k"=runs/front/evaluations.csv --out DIR
//       random=runs/random/seed-1/evaluations.csv random=... nsga2=...
//
// Writes DIR/curves.csv, summary.csv, runs.csv, reach.csv, fronts.csv and
// table.md, and prints table.md. The benchmark script
// (bench/sample_efficiency/run.sh) drives it; docs/results.md explains the
// figures.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "hv_curves.hpp"
#include "report.hpp"
#include "seed_statistics.hpp"

namespace {

using namespace nasctl::sample_efficiency;

struct Options {
  std::vector<std::string> objectives;
  std::vector<double> reference;
  std::vector<std::size_t> checkpoints = {25, 50, 100, 125, 150, 250, 500};
  std::vector<std::string> reach_targets;
  std::vector<std::string> fronts;
  std::string out;
  std::vector<std::string> runs;
};

// Splits "label=path"; the label may not be empty.
std::pair<std::string, std::string> split_labelled(const std::string& text, const std::string& what) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw std::invalid_argument(what + " '" + text + "': expected LABEL=FILE; fix: e.g. nsga2=runs/nsga2/seed-1/evaluations.csv");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

int run(const Options& options) {
  std::vector<ObjectiveColumn> objectives;
  for (const auto& text : options.objectives) objectives.push_back(ObjectiveColumn::parse(text));
  const auto reference = minimised_reference(objectives, options.reference);

  std::vector<RunCurve> curves;
  for (const auto& text : options.runs) {
    const auto [strategy, file] = split_labelled(text, "run");
    curves.push_back(read_run(strategy, file, objectives, reference));
  }
  const auto strategies = group_by_strategy(std::move(curves));

  std::vector<ReachTarget> targets;
  for (const auto& text : options.reach_targets) {
    auto target = ReachTarget::parse(text);
    const auto it = std::find_if(strategies.begin(), strategies.end(),
                                 [&](const Strategy& s) { return s.name == target.strategy; });
    if (it == strategies.end())
      throw std::invalid_argument("--reach " + text + ": no runs of strategy '" + target.strategy +
                                  "'; fix: name a strategy given as STRATEGY=FILE");
    const auto s = it->at(target.evaluations);
    if (!s)
      throw std::invalid_argument("--reach " + text + ": no run of '" + target.strategy + "' reached " +
                                  std::to_string(target.evaluations) + " evaluations; fix: pick a count within its budget");
    target.hypervolume = s->mean;
    targets.push_back(target);
  }

  std::vector<FrontResult> fronts;
  std::vector<RunCurve> all_runs;
  for (const auto& strategy : strategies) all_runs.insert(all_runs.end(), strategy.runs.begin(), strategy.runs.end());
  for (const auto& text : options.fronts) {
    const auto [label, file] = split_labelled(text, "--front");
    auto curve = read_run(label, file, objectives, reference);
    fronts.push_back({label, curve.evaluations, curve.hypervolume.empty() ? 0.0 : curve.hypervolume.back()});
    all_runs.push_back(std::move(curve));
  }
  std::size_t total = 0;
  for (const auto& run : all_runs) total += run.evaluations;
  fronts.push_back({"union of every run above", total, union_hypervolume(all_runs, reference)});

  std::filesystem::create_directories(options.out);
  const std::filesystem::path out(options.out);
  write_curves((out / "curves.csv").string(), strategies);
  write_summary((out / "summary.csv").string(), strategies, options.checkpoints);
  write_runs((out / "runs.csv").string(), strategies, options.checkpoints);
  write_reach((out / "reach.csv").string(), strategies, targets);
  write_fronts((out / "fronts.csv").string(), fronts);
  const std::string table = markdown(strategies, options.checkpoints, targets, fronts);
  std::ofstream((out / "table.md").string()) << table;
  std::cout << table;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Hypervolume against real evaluations for nasctl search runs, over seeds"};
  Options options;
  app.add_option("--objective", options.objectives,
                 "Objective column as metric:max|min[:scale], in the reference point's order (repeat)")
      ->required();
  app.add_option("--reference", options.reference, "Reference point in natural, scaled units, e.g. 70,700")
      ->required()
      ->delimiter(',');
  app.add_option("--checkpoints", options.checkpoints, "Evaluation counts of the summary")->delimiter(',');
  app.add_option("--reach", options.reach_targets,
                 "STRATEGY@N: evaluations every strategy needs to reach STRATEGY's mean hypervolume at N (repeat)");
  app.add_option("--front", options.fronts, "LABEL=FILE: a reference run reported on its own (repeat)");
  app.add_option("--out", options.out, "Output folder")->required();
  app.add_option("runs", options.runs, "STRATEGY=evaluations.csv, one per run")->required();
  CLI11_PARSE(app, argc, argv);

  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "sample_efficiency_hv: error: " << e.what() << "\n";
    return 1;
  }
}
