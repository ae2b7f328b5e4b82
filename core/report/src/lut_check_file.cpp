#include "nasctl/report/lut_check_file.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "nasctl/error.hpp"

namespace nasctl::report {

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw DataError(path + ": cannot read; fix: check the file's permissions");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

double number_or_nan(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return NAN;
  return j.at(key).get<double>();
}

LutFigures figures(const std::string& label, const nlohmann::json& j) {
  static const std::pair<const char*, const char*> kKeys[] = {
      {"n", "n"}, {"mape_percent", "MAPE %"}, {"within_10", "within ±10 %"}, {"kendall_tau", "Kendall τ"},
      {"rmse_ms", "RMSE ms"}, {"r_squared", "R²"}};
  LutFigures f{label, {}};
  for (const auto& [key, name] : kKeys) {
    double v = number_or_nan(j, key);
    if (std::string(key) == "within_10") v *= 100.0;  // a share in the file, a percentage in the table
    f.values.emplace_back(name, v);
  }
  return f;
}

}  // namespace

bool is_lut_check_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  try {
    const auto j = nlohmann::json::parse(read_text(path));
    return j.is_object() && j.contains("samples") && j.contains("fitted_form");
  } catch (const std::exception&) {
    return false;
  }
}

LutCheck load_lut_check(const std::string& path) {
  LutCheck check;
  check.file = path;
  try {
    const auto j = nlohmann::json::parse(read_text(path));
    check.fitted_form = j.at("fitted_form").get<std::string>();
    for (const auto& [k, v] : j.at("info").items()) check.info[k] = v.is_string() ? v.get<std::string>() : v.dump();
    for (const auto& s : j.at("samples")) {
      check.samples.push_back({s.at("arch").get<std::string>(), s.at("measured_ms").get<double>(),
                               s.at("lut_sum_ms").get<double>(), s.at("calibrated_ms").get<double>()});
    }
    check.figures.push_back(figures("LUT sum, uncalibrated", j.at("uncalibrated")));
    if (j.contains("with_table_calibration"))
      check.figures.push_back(figures("LUT sum with the table's calibration", j.at("with_table_calibration")));
    check.figures.push_back(figures("fitted calibration (" + check.fitted_form + "), in-sample", j.at("fitted_in_sample")));
    check.figures.push_back(figures("fitted calibration, leave-one-out", j.at("fitted_leave_one_out")));
    if (j.contains("repeatability_pass2_vs_pass1"))
      check.figures.push_back(figures("measurement: pass 2 against pass 1", j.at("repeatability_pass2_vs_pass1")));
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path + ": not a `nasctl lut check --json` report (" + e.what() +
                    "); fix: give the file `nasctl lut check --json FILE` wrote, or a run folder");
  }
  return check;
}

}  // namespace nasctl::report
