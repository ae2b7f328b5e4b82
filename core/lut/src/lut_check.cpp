#include "nasctl/lut/lut_check.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "nasctl/lut/calibration.hpp"

namespace nasctl::lut {

namespace {

std::vector<double> column(const std::vector<CheckSample>& samples, double CheckSample::*field) {
  std::vector<double> v;
  v.reserve(samples.size());
  for (const auto& s : samples) v.push_back(s.*field);
  return v;
}

std::string figures(const char* label, const predict::Statistics& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-34s MAPE %6.2f%%  within +-10%% %5.1f%%  Kendall tau %.3f\n", label, s.mape,
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

nlohmann::json calibration_json(const Calibration& c) { return {{"scale", c.scale}, {"overhead_ms", c.overhead_ms}}; }

}  // namespace

CheckReport analyse_check(std::vector<CheckSample> samples, std::optional<Calibration> current) {
  CheckReport r;
  r.samples = std::move(samples);
  const std::vector<double> lut = column(r.samples, &CheckSample::lut_ms);
  const std::vector<double> measured = column(r.samples, &CheckSample::measured_ms);
  r.raw = predict::compute_statistics(measured, lut);
  r.current = current;
  if (current) r.with_current = predict::compute_statistics(measured, apply_calibration(*current, lut));
  r.fitted = fit_calibration(lut, measured);
  r.fitted_in_sample = predict::compute_statistics(measured, apply_calibration(r.fitted, lut));
  r.fitted_loo = predict::compute_statistics(measured, leave_one_out(lut, measured));
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
  if (r.current) {
    std::snprintf(buf, sizeof buf, "table's calibration (%.4g x + %.4g ms)", r.current->scale, r.current->overhead_ms);
    text += figures(buf, *r.with_current);
  }
  std::snprintf(buf, sizeof buf, "fitted (%.4g x + %.4g ms), in-sample", r.fitted.scale, r.fitted.overhead_ms);
  text += figures(buf, r.fitted_in_sample);
  text += figures("fitted, leave-one-out", r.fitted_loo);
  if (r.repeatability) text += figures("measurement: pass 2 vs pass 1", *r.repeatability);
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
  j["fitted_calibration"] = calibration_json(r.fitted);
  j["fitted_in_sample"] = figures_json(r.fitted_in_sample);
  j["fitted_leave_one_out"] = figures_json(r.fitted_loo);
  if (r.repeatability) j["repeatability_pass2_vs_pass1"] = figures_json(*r.repeatability);
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& s : r.samples) {
    samples.push_back({{"arch", s.arch},
                       {"lut_sum_ms", s.lut_ms},
                       {"measured_ms", s.measured_ms},
                       {"calibrated_ms", r.fitted.scale * s.lut_ms + r.fitted.overhead_ms},
                       {"passes_ms", s.passes_ms}});
  }
  j["samples"] = std::move(samples);
  return j.dump(2) + "\n";
}

}  // namespace nasctl::lut
