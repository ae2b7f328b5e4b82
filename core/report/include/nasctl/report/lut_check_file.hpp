// A `nasctl lut check --json` report as the HTML report reads it: the
// sub-networks measured end to end with the table's predictions, the
// accuracy figures of each prediction, and the measurement's conditions.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nasctl::report {

struct LutSample {
  std::string arch;
  double measured_ms = 0.0;
  double lut_sum_ms = 0.0;     // the table's plain per-layer sum
  double calibrated_ms = 0.0;  // with the fitted calibration
};

// One line of the accuracy table: what was compared, and its figures
// (n, MAPE %, share within +-10 %, Kendall tau, RMSE ms, R^2; NaN where the
// file has null).
struct LutFigures {
  std::string label;
  std::vector<std::pair<std::string, double>> values;
};

struct LutCheck {
  std::string file;
  std::string fitted_form;
  std::map<std::string, std::string> info;  // conditions and provenance
  std::vector<LutSample> samples;
  std::vector<LutFigures> figures;
};

// Whether `path` is a regular file whose JSON looks like a LUT check report
// (has "samples" and "fitted_form"); false for folders and unreadable files.
bool is_lut_check_file(const std::string& path);

// Throws nasctl::DataError "file: ...; fix: ..." for malformed content.
LutCheck load_lut_check(const std::string& path);

}  // namespace nasctl::report
