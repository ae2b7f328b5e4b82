// The analysis behind `nasctl lut check`: how well a lookup table's sums
// predict end-to-end latency, before and after calibration.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nasctl/lut/calibration.hpp"
#include "nasctl/lut/lookup_table.hpp"
#include "nasctl/lut/lut_file.hpp"
#include "nasctl/predict/statistics.hpp"

namespace nasctl::lut {

struct CheckSample {
  std::string arch;          // canonical architecture
  NetworkSum lut;            // the table's entries summed (uncalibrated), by layer class too
  double measured_ms = 0.0;  // end to end, the same hardware instance (median of the passes)
  std::vector<double> passes_ms;  // each pass's measurement, when there were several
  // Each pass's latency_ci_percent (the half-width of the measurement's 95%
  // confidence interval, % of it), when the hardware reports one.
  std::vector<double> ci_percent;
};

struct CheckReport {
  std::vector<CheckSample> samples;
  predict::Statistics raw;                 // the plain sum (scale 1, overhead 0)
  std::optional<Calibration> current;      // the table's calibration line, if any
  std::optional<predict::Statistics> with_current;
  CalibrationFit fit;                      // every calibration form fitted on these samples
  Calibration fitted;                      // the chosen form (fit.best())
  predict::Statistics fitted_in_sample;    // chosen form, fitted and judged on the same samples
  predict::Statistics fitted_loo;          // chosen form, each sample predicted by a fit on the others
  // With two passes or more: pass 2 against pass 1, the measurement's own
  // repeatability, which bounds what any predictor of it can reach.
  std::optional<predict::Statistics> repeatability;
};

// Needs at least three samples. Throws Error when the calibration cannot be fitted.
CheckReport analyse_check(std::vector<CheckSample> samples, std::optional<Calibration> current);

// The report for people (several lines).
std::string check_text(const CheckReport& report);

// The report as JSON: `info` (file, hardware, seed, load average, ...), the
// figures, the calibrations and every sample.
std::string check_json(const CheckReport& report, const std::map<std::string, std::string>& info);

}  // namespace nasctl::lut
