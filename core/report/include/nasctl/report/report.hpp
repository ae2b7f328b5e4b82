// `nasctl report`: one self-contained HTML file (inline CSS, SVG and a few
// lines of inline JavaScript for sorting; nothing fetched) for run folders
// and LUT check reports. The same inputs always give the same bytes: the only
// times in it are the runs' own.
#pragma once

#include <string>
#include <vector>

namespace nasctl::report {

// Each input is a run folder or a `nasctl lut check --json` file. Throws
// nasctl::DataError naming the first input that is neither (or is damaged).
std::string report_html(const std::vector<std::string>& inputs);

// report_html written atomically to `out_file` (an existing file keeps its
// content when anything fails). Throws nasctl::Error naming the file.
void write_report(const std::vector<std::string>& inputs, const std::string& out_file);

}  // namespace nasctl::report
