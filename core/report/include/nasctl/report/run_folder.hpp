// A finished run folder as the report and `nasctl pick` read it: run.json
// (objectives, constraints, metric units, hypervolume reference, config,
// timings, conditions), evaluations.csv (every evaluation) and pareto.csv
// (the front). Anything that is not such a folder is refused with one line
// saying what is missing and what to do.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nasctl::report {

struct RunObjective {
  std::string metric;
  bool maximize = false;
  // The value as minimised (maximised metrics negated), as the run scored it.
  double minimized(double value) const { return maximize ? -value : value; }
};

struct RunConstraint {
  std::string metric;
  bool at_most = true;  // max = limit; false: min = limit
  double limit = 0.0;
};

struct Evaluation {
  std::size_t index = 0;       // the run's evaluation order
  std::string arch;            // canonical architecture string
  std::vector<double> values;  // one per RunFolder::metrics; NaN where none
  bool feasible = false;
  double violation = 0.0;
};

struct RunFolder {
  std::string dir;    // as given
  std::vector<std::string> metrics;           // evaluations.csv's metric columns, in order
  std::map<std::string, std::string> units;   // metric -> unit, where a provider declared one
  std::vector<RunObjective> objectives;
  std::vector<RunConstraint> constraints;
  std::vector<Evaluation> evaluations;        // in evaluations.csv's order
  std::vector<std::size_t> front;             // positions in `evaluations`, in pareto.csv's order
  std::vector<double> reference;              // hypervolume reference (minimised); empty without a front
  nlohmann::json run;                         // run.json as read

  // Column of a metric in Evaluation::values; npos when the run has none.
  std::size_t metric_column(const std::string& metric) const;
  // "cpu.latency_ms (ms)", or the bare name when no unit is known.
  std::string metric_title(const std::string& metric) const;
};

// Throws nasctl::DataError naming the folder or file: no such folder, not a
// run folder (no run.json), a run that has not finished, a run of a newer
// format, malformed run.json/CSVs, a pareto.csv row not in evaluations.csv.
RunFolder load_run_folder(const std::string& dir);

}  // namespace nasctl::report
