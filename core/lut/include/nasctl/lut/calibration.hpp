// Calibrating a lookup table against end-to-end measurements: a network is
// more than the sum of its layers measured alone (framework overhead per
// forward pass, caches warm across layers, fused boundaries), modelled as
// measured ~= scale * lut_sum + overhead_ms.
#pragma once

#include <vector>

#include "nasctl/lut/lut_file.hpp"

namespace nasctl::lut {

// Least squares on the relative error, min sum ((scale * x + overhead - y) / y)^2:
// the check reports relative figures (MAPE, share within +-10%), so small
// and large networks count alike. Throws Error when there are fewer than
// two networks, a measurement is not > 0, the LUT sums are all equal, or
// the fitted scale is not positive (the table does not track the device).
Calibration fit_calibration(const std::vector<double>& lut_ms, const std::vector<double>& measured_ms);

// Each network predicted by the calibration fitted on all the others: the
// honest estimate of how a calibration generalises to new networks. Needs
// at least three networks.
std::vector<double> leave_one_out(const std::vector<double>& lut_ms, const std::vector<double>& measured_ms);

std::vector<double> apply_calibration(const Calibration& calibration, const std::vector<double>& lut_ms);

}  // namespace nasctl::lut
