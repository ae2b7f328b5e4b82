// The report's HTML parts besides the plots: one section per run (summary,
// front table, timings, measurement conditions, config) and per LUT check
// (plot, accuracy figures, conditions). Internal to nasctl_report.
#pragma once

#include <string>

#include "nasctl/report/lut_check_file.hpp"
#include "nasctl/report/plots.hpp"

namespace nasctl::report {

// `id` is the section's HTML id ("run-0"): the report links to it.
std::string run_section(const PlotRun& run, const std::string& id);
std::string lut_check_section(const LutCheck& check, const std::string& id);

// <table> of key/value rows, keys and values escaped.
std::string key_value_table(const std::vector<std::pair<std::string, std::string>>& rows, const std::string& css_class);

}  // namespace nasctl::report
