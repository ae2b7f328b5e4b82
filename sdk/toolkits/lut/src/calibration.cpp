#include "nasctl/lut/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/predict/least_squares.hpp"

namespace nasctl::lut {

namespace {

struct Form {
  const char* name;
  bool class_scales;
  bool per_layer;
};
constexpr Form kPlain{"scale", false, false};
constexpr Form kForms[] = {kPlain, {"scale+per_layer", false, true}, {"class scales", true, false},
                           {"class scales+per_layer", true, true}};

// A quantity (a class's share, the layer count: sums and counts of
// non-negative values, never rounding noise) can carry a term of its own
// only if it varies across the networks: a relative range under 1% is
// indistinguishable from the overhead within measurement noise.
// Leave-one-out MAPEs (percent) closer than this are a tie: see
// simplest_within_tolerance.
constexpr double kRelativeMapeTolerance = 0.02;
constexpr double kAbsoluteMapeTolerance = 1e-6;

bool varies(const std::vector<double>& v) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi > 0 && *hi - *lo > 0.01 * *hi;
}

// What a fit works on: the terms each network has, fixed once for all
// networks so that every leave-one-out fold fits the same form.
struct Design {
  const std::vector<NetworkSum>& lut;
  const std::vector<double>& measured;
  std::vector<std::size_t> own_scale;  // classes with a scale of their own (class forms)
  std::vector<bool> is_own = std::vector<bool>(kLayerClasses, false);
  bool rest_varies = true;             // the other classes' share varies: `scale` is fitted

  // Summed, not subtracted from the total: with no other class it is
  // exactly 0, not rounding noise that could pass for a varying share.
  double rest(std::size_t i) const {
    double r = 0.0;
    for (std::size_t c = 0; c < kLayerClasses; ++c) {
      if (!is_own[c]) r += lut[i].class_ms[c];
    }
    return r;
  }
  std::size_t terms(const Form& f) const {
    return (f.class_scales ? own_scale.size() : 0) + (rest_varies || !f.class_scales) + f.per_layer + 1;
  }
};

Calibration fit_form(const Form& form, const Design& d, const std::vector<std::size_t>& rows) {
  const bool classes = form.class_scales;
  // When the other classes' share is the same in every network, their
  // scale cannot be told from the overhead: they keep the plain form's
  // scale (their time times it is subtracted from the target), and the
  // overhead absorbs whatever else that constant share costs.
  const bool fixed_rest = classes && !d.rest_varies;
  const double rest_scale = fixed_rest ? fit_form(kPlain, d, rows).scale : 0.0;
  predict::FeatureRows x;
  std::vector<double> y, w;
  for (std::size_t i : rows) {
    std::vector<double> row;
    if (classes) {
      for (std::size_t c : d.own_scale) row.push_back(d.lut[i].class_ms[c]);
      if (!fixed_rest) row.push_back(d.rest(i));
    } else {
      row.push_back(d.lut[i].latency_ms);
    }
    if (form.per_layer) row.push_back(static_cast<double>(d.lut[i].layers));
    row.push_back(1.0);
    x.push_back(std::move(row));
    y.push_back(d.measured[i] - (fixed_rest ? rest_scale * d.rest(i) : 0.0));
    w.push_back(1.0 / (d.measured[i] * d.measured[i]));  // relative error
  }
  const std::vector<double> b = predict::weighted_least_squares(x, y, w);
  Calibration c;
  std::size_t k = 0;
  if (classes) {
    for (std::size_t cls : d.own_scale) c.class_scales[cls] = b[k++];
  }
  c.scale = fixed_rest ? rest_scale : b[k++];
  if (form.per_layer) c.per_layer_ms = b[k++];
  c.overhead_ms = b[k];
  return c;
}

bool finite(const Calibration& c) {
  bool ok = std::isfinite(c.scale) && std::isfinite(c.overhead_ms) && std::isfinite(c.per_layer_ms);
  for (const auto& [cls, scale] : c.class_scales) ok = ok && std::isfinite(scale);
  return ok;
}

void check_inputs(const std::vector<NetworkSum>& lut, const std::vector<double>& measured) {
  if (lut.size() != measured.size() || lut.size() < 3)
    throw Error("lut calibration: needs at least 3 networks (got " +
                std::to_string(std::min(lut.size(), measured.size())) + "); fix: check more networks (-n)");
  for (std::size_t i = 0; i < lut.size(); ++i) {
    if (!(measured[i] > 0) || !std::isfinite(measured[i]) || !std::isfinite(lut[i].latency_ms))
      throw Error("lut calibration: network " + std::to_string(i + 1) + " has measured latency " +
                  std::to_string(measured[i]) + " ms and LUT sum " + std::to_string(lut[i].latency_ms) +
                  " ms; fix: a measured latency must be a finite number > 0");
  }
}

// The form with the fewest terms whose leave-one-out MAPE is within the
// tolerance of the lowest. Forms that fit equally well differ only by
// rounding noise, which depends on the BLAS kernels the machine runs: the
// choice must not. A term is worth keeping when it lowers the error by more
// than 2% of it (and more than 1e-6 percentage points, for exact fits).
std::size_t simplest_within_tolerance(const std::vector<CalibrationModel>& models,
                                      const std::vector<std::size_t>& terms) {
  double lowest = models.front().loo.mape;
  for (const CalibrationModel& m : models) lowest = std::min(lowest, m.loo.mape);
  const double tolerance = std::max(kRelativeMapeTolerance * lowest, kAbsoluteMapeTolerance);
  std::size_t chosen = models.size();
  for (std::size_t k = 0; k < models.size(); ++k) {
    if (models[k].loo.mape > lowest + tolerance) continue;
    if (chosen == models.size() || terms[k] < terms[chosen]) chosen = k;
  }
  return chosen;
}

}  // namespace

double calibrated_latency(const Calibration& c, const NetworkSum& lut) {
  double ms = c.overhead_ms + c.per_layer_ms * static_cast<double>(lut.layers) + c.scale * lut.latency_ms;
  for (const auto& [cls, scale] : c.class_scales) ms += (scale - c.scale) * lut.class_ms[cls];
  return ms;
}

std::vector<double> apply_calibration(const Calibration& c, const std::vector<NetworkSum>& lut) {
  std::vector<double> out;
  out.reserve(lut.size());
  for (const NetworkSum& s : lut) out.push_back(calibrated_latency(c, s));
  return out;
}

CalibrationFit fit_calibration(const std::vector<NetworkSum>& lut, const std::vector<double>& measured) {
  check_inputs(lut, measured);
  const std::size_t n = lut.size();
  std::vector<double> sums, layers;
  for (const NetworkSum& s : lut) {
    sums.push_back(s.latency_ms);
    layers.push_back(static_cast<double>(s.layers));
  }
  if (*std::max_element(sums.begin(), sums.end()) == *std::min_element(sums.begin(), sums.end()))
    throw Error("lut calibration: every network has the same LUT sum, so scale and overhead cannot be told apart; "
                "fix: check more networks (-n) from a space whose networks differ");

  Design design{lut, measured, {}};
  for (std::size_t c = 0; c < kLayerClasses; ++c) {
    std::vector<double> share;
    for (const NetworkSum& s : lut) share.push_back(s.class_ms[c]);
    if (!varies(share)) continue;
    design.own_scale.push_back(c);
    design.is_own[c] = true;
  }
  std::vector<double> rest;
  for (std::size_t i = 0; i < n; ++i) rest.push_back(design.rest(i));
  design.rest_varies = varies(rest);

  // With one class of its own and the rest the same in every network,
  // "class scales" is "scale" written differently: the class's sum differs
  // from the total by a constant, which the overhead absorbs. Fitting both
  // would let rounding noise (which differs between BLAS kernels) pick one.
  const bool class_forms_are_plain = design.own_scale.size() == 1 && !design.rest_varies;

  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  CalibrationFit fit;
  std::vector<std::size_t> terms;  // of each fitted model
  for (const Form& form : kForms) {
    if (form.per_layer && !varies(layers)) continue;
    if (form.class_scales && (design.own_scale.empty() || class_forms_are_plain)) continue;
    const bool plain = &form == &kForms[0];
    if (!plain && n < design.terms(form) + 2) continue;  // the plain form needs 3, checked above
    CalibrationModel m;
    m.form = form.name;
    m.calibration = fit_form(form, design, all);
    // `scale` must be positive in every form (for the plain form: the table
    // tracks the device at all; a table line with another is refused).
    // Class scales are regression coefficients: a class whose share moves
    // with others' (an add per projection convolution) can take any sign;
    // leave-one-out judges whether the form predicts.
    if (!finite(m.calibration) || !(m.calibration.scale > 0)) {
      if (!plain) continue;
      throw Error("lut calibration: the fitted scale is " + std::to_string(m.calibration.scale) +
                  ": end-to-end latency does not grow with the LUT sum; fix: rebuild the table with the same "
                  "hardware instance and conditions as the check");
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::size_t> others;
      for (std::size_t j = 0; j < n; ++j) {
        if (j != i) others.push_back(j);
      }
      m.loo_ms.push_back(calibrated_latency(fit_form(form, design, others), lut[i]));
    }
    m.in_sample = predict::compute_statistics(measured, apply_calibration(m.calibration, lut));
    m.loo = predict::compute_statistics(measured, m.loo_ms);
    fit.models.push_back(std::move(m));
    terms.push_back(design.terms(form));
  }
  fit.chosen = simplest_within_tolerance(fit.models, terms);
  return fit;
}

}  // namespace nasctl::lut
