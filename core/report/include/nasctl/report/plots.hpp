// The report's SVG plots. Each function returns one <svg> element; points
// carry CSS classes the report's stylesheet colours ("pt front r0": a point
// of the first run's front) and a <title> with what a reader hovers for.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nasctl/report/lut_check_file.hpp"
#include "nasctl/report/run_folder.hpp"

namespace nasctl::report {

// A run as the plots show it: its data, its legend label, its colour slot
// (CSS class r0..r7, reused past eight runs).
struct PlotRun {
  const RunFolder* run;
  std::string label;
  std::size_t slot;
};

// The runs' objective number `x` against objective number `y` (positions in
// each run's objective list, so runs of different devices overlay: their
// latencies share an axis). Every evaluation whose two values are numbers is
// a point: infeasible, feasible, or on the run's front; constraints on
// either axis' metric are dashed lines; two-objective runs get their front's
// staircase. Runs with fewer objectives than x or y are left out.
std::string front_plot(const std::vector<PlotRun>& runs, std::size_t x, std::size_t y);

// Hypervolume against evaluations for runs that share their objectives,
// measured against `reference` (minimisation form).
std::string hypervolume_plot(const std::vector<PlotRun>& runs, const std::vector<double>& reference);

// Predicted against measured latency of a LUT check: the table's plain sum
// and the fitted calibration, each a point per sub-network, and the y = x line.
std::string lut_check_plot(const LutCheck& check);

// "12.3457": numbers in titles and tables (6 significant digits).
std::string format_value(double value);

}  // namespace nasctl::report
