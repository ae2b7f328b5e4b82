// Calibrating a lookup table against end-to-end measurements. A network is
// more than the sum of its layers measured alone: a fixed cost per forward
// pass, a cost each lone layer carried that the network pays differently
// (a CUDA graph launch per entry), and per kind of layer a different
// factor (fused kernels, layouts kept between layers, warm caches). Four
// forms, each fitted by least squares on the relative error (the check
// reports relative figures, so small and large networks count alike):
//
//   "scale"                   scale * sum + overhead
//   "scale+per_layer"         ... + per_layer * layers
//   "class scales"            sum over classes c with a scale of their own of
//                             scale_c * sum_c + scale * (the other classes'
//                             sum) + overhead
//   "class scales+per_layer"  ... + per_layer * layers
//
// The form with the fewest terms whose leave-one-out MAPE is within 2% of
// the lowest is chosen (on equal terms, the earlier form above): extra
// terms are kept only when they predict networks the fit did not see
// clearly better, and forms that fit alike are never told apart by rounding
// noise (which differs between BLAS kernels and machines). Forms that are
// the same model for the networks at hand are fitted once (one class with
// a scale of its own and a constant rest: "class scales" is "scale").
// The chosen form's leave-one-out figures are therefore a little
// optimistic (the choice saw them); checking fresh networks with the
// written calibration is the unbiased figure. Measured on OFA at 224:
// CPU leave-one-out Kendall tau 0.82-0.84 with the plain form, 0.92-0.93
// with class scales; H100 0.987 with class scales (docs/results.md).
#pragma once

#include <string>
#include <vector>

#include "nasctl/lut/lookup_table.hpp"
#include "nasctl/lut/lut_file.hpp"
#include "nasctl/predict/statistics.hpp"

namespace nasctl::lut {

// One form, fitted.
struct CalibrationModel {
  std::string form;                 // "scale", "scale+per_layer", "class scales", "class scales+per_layer"
  Calibration calibration;          // fitted on every network
  std::vector<double> loo_ms;       // each network predicted by the fit of this form on the others
  predict::Statistics in_sample;    // calibration judged on the networks it was fitted on
  predict::Statistics loo;          // loo_ms judged: what to expect of new networks
};

struct CalibrationFit {
  std::vector<CalibrationModel> models;  // the forms that could be fitted, simplest first
  std::size_t chosen = 0;                // the simplest form within tolerance of the lowest leave-one-out MAPE
  const CalibrationModel& best() const { return models[chosen]; }
};

// Fits every form the networks allow: a class gets its own scale only when
// its share varies across the networks (otherwise it cannot be told apart
// from the overhead, and shares `scale`); the per-layer term only when the
// layer count varies; a form other than the plain one needs two networks
// more than it has terms. Class scales are regression coefficients, not
// physical factors: where classes move together (in OFA every block after a
// stage's first has one add and one projection convolution) one may take
// any sign, and only leave-one-out says whether the form predicts networks
// it did not see. Throws Error when there are fewer
// than three networks, a measurement is not a finite number > 0, every
// network has the same LUT sum, or even the plain form's scale is not
// positive (the table does not track the device).
CalibrationFit fit_calibration(const std::vector<NetworkSum>& lut, const std::vector<double>& measured_ms);

// latency_ms the calibration gives a network with this sum.
double calibrated_latency(const Calibration& calibration, const NetworkSum& lut);
std::vector<double> apply_calibration(const Calibration& calibration, const std::vector<NetworkSum>& lut);

}  // namespace nasctl::lut
