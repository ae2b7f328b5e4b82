#include "nasctl/lut/lut_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "nasctl/lut/calibration.hpp"
#include "nasctl/lut/layer_class.hpp"

namespace nasctl::lut {

namespace {

std::vector<double> measured_column(const std::vector<CheckSample>& samples) {
  std::vector<double> v;
  v.reserve(samples.size());
  for (const auto& s : samples) v.push_back(s.measured_ms);
  return v;
}

std::vector<NetworkSum> lut_column(const std::vector<CheckSample>& samples) {
  std::vector<NetworkSum> v;
  v.reserve(samples.size());
  for (const auto& s : samples) v.push_back(s.lut);
  return v;
}

std::string figures(const char* label, const predict::Statistics& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-50s MAPE %6.2f%%  within +-10%% %5.1f%%  Kendall tau %.3f\n", label, s.mape,
                100.0 * s.within_10, s.kendall_tau);
  return buf;
}

nlohmann::json figures_json(const predict::Statistics& s) {
  auto finite = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  return {{"n", s.n},
          {"mape_percent", finite(s.mape)},
          {"within_10", finite(s.within_10)},
          {"kendall_tau", finite(s.kendall_tau)},
          {"rmse_ms", finite(s.rmse)},
          {"r_squared", finite(s.r_squared)}};
}

nlohmann::json calibration_json(const Calibration& c) {
  nlohmann::json j = {{"scale", c.scale}, {"overhead_ms", c.overhead_ms}, {"per_layer_ms", c.per_layer_ms}};
  nlohmann::json classes = nlohmann::json::object();
  for (const auto& [cls, scale] : c.class_scales) classes[layer_class_name(cls)] = scale;
  j["class_scales"] = std::move(classes);
  return j;
}

nlohmann::json class_shares_json(const NetworkSum& sum) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t c = 0; c < kLayerClasses; ++c) {
    if (sum.class_ms[c] != 0.0) j[layer_class_name(c)] = sum.class_ms[c];
  }
  return j;
}

// "0.8632 x + 1.273 ms", with the per-layer term and the number of class
// scales when the form has them (x is then the sum of the classes without
// a scale of their own).
std::string calibration_text(const Calibration& c) {
  char buf[160];
  int at = std::snprintf(buf, sizeof buf, "%.4g x + %.4g ms", c.scale, c.overhead_ms);
  if (c.per_layer_ms != 0.0) at += std::snprintf(buf + at, sizeof buf - at, " + %.3g ms/layer", c.per_layer_ms);
  if (!c.class_scales.empty()) std::snprintf(buf + at, sizeof buf - at, ", %zu class scales", c.class_scales.size());
  return buf;
}

}  // namespace

CheckReport analyse_check(std::vector<CheckSample> samples, std::optional<Calibration> current) {
  CheckReport r;
  r.samples = std::move(samples);
  const std::vector<NetworkSum> lut = lut_column(r.samples);
  const std::vector<double> measured = measured_column(r.samples);
  std::vector<double> sums;
  for (const NetworkSum& s : lut) sums.push_back(s.latency_ms);
  r.raw = predict::compute_statistics(measured, sums);
  r.current = current;
  if (current) r.with_current = predict::compute_statistics(measured, apply_calibration(*current, lut));
  r.fit = fit_calibration(lut, measured);
  r.fitted = r.fit.best().calibration;
  r.fitted_in_sample = r.fit.best().in_sample;
  r.fitted_loo = r.fit.best().loo;
  bool two_passes = true;
  std::vector<double> first, second;
  for (const auto& s : r.samples) {
    two_passes = two_passes && s.passes_ms.size() >= 2;
    if (!two_passes) break;
    first.push_back(s.passes_ms[0]);
    second.push_back(s.passes_ms[1]);
  }
  if (two_passes) r.repeatability = predict::compute_statistics(first, second);
  return r;
}

std::string check_text(const CheckReport& r) {
  std::string text;
  char buf[256];
  double lo = INFINITY, hi = 0;
  for (const auto& s : r.samples) {
    lo = std::min(lo, s.measured_ms);
    hi = std::max(hi, s.measured_ms);
  }
  std::snprintf(buf, sizeof buf, "%zu sub-networks measured end to end: %.4g .. %.4g ms\n", r.samples.size(), lo, hi);
  text += buf;
  text += figures("LUT sum (uncalibrated)", r.raw);
  if (r.current) text += figures(("table's calibration (" + calibration_text(*r.current) + ")").c_str(), *r.with_current);
  for (std::size_t i = 0; i < r.fit.models.size(); ++i) {
    const CalibrationModel& m = r.fit.models[i];
    text += figures(("form \"" + m.form + "\", leave-one-out" + (i == r.fit.chosen ? " *" : "")).c_str(), m.loo);
  }
  text += figures(("fitted (" + calibration_text(r.fitted) + "), in-sample").c_str(), r.fitted_in_sample);
  text += figures(("fitted, leave-one-out (form \"" + r.fit.best().form + "\")").c_str(), r.fitted_loo);
  if (r.repeatability) text += figures("measurement: pass 2 vs pass 1", *r.repeatability);
  std::vector<double> ci;
  for (const auto& s : r.samples) ci.insert(ci.end(), s.ci_percent.begin(), s.ci_percent.end());
  if (!ci.empty()) {
    std::sort(ci.begin(), ci.end());
    std::snprintf(buf, sizeof buf, "  measurement's 95%% confidence intervals: median +-%.2f%%, largest +-%.2f%%\n",
                  ci[ci.size() / 2], ci.back());
    text += buf;
  }
  return text;
}

std::string check_json(const CheckReport& r, const std::map<std::string, std::string>& info) {
  nlohmann::json j;
  j["info"] = info;
  j["uncalibrated"] = figures_json(r.raw);
  if (r.current) {
    j["table_calibration"] = calibration_json(*r.current);
    j["with_table_calibration"] = figures_json(*r.with_current);
  }
  nlohmann::json forms = nlohmann::json::array();
  for (const CalibrationModel& m : r.fit.models) {
    forms.push_back({{"form", m.form},
                     {"calibration", calibration_json(m.calibration)},
                     {"in_sample", figures_json(m.in_sample)},
                     {"leave_one_out", figures_json(m.loo)}});
  }
  j["calibration_forms"] = std::move(forms);
  j["fitted_form"] = r.fit.best().form;
  j["fitted_calibration"] = calibration_json(r.fitted);
  j["fitted_in_sample"] = figures_json(r.fitted_in_sample);
  j["fitted_leave_one_out"] = figures_json(r.fitted_loo);
  if (r.repeatability) j["repeatability_pass2_vs_pass1"] = figures_json(*r.repeatability);
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& s : r.samples) {
    samples.push_back({{"arch", s.arch},
                       {"lut_sum_ms", s.lut.latency_ms},
                       {"lut_layers", s.lut.layers},
                       {"lut_class_ms", class_shares_json(s.lut)},
                       {"measured_ms", s.measured_ms},
                       {"calibrated_ms", calibrated_latency(r.fitted, s.lut)},
                       {"passes_ms", s.passes_ms},
                       {"ci_percent", s.ci_percent}});
  }
  j["samples"] = std::move(samples);
  return j.dump(2) + "\n";
}

}  // namespace nasctl::lut
