// LutModel: config -> lookup table + calibration, and one sum per network.
#include "lut_model.hpp"

#include <cmath>
#include <optional>

#include "nasctl/error.hpp"
#include "nasctl/lut/calibration.hpp"
#include "nasctl/lut/lut_file.hpp"

namespace nasctl::hardware::lut {

std::vector<ConfigKey> LutModel::config_keys() {
  return {
      ConfigKey::path("file",
                      "The lookup table: CSV with one row per layer signature (docs/hardware.md, \"lut\"), as "
                      "written by `nasctl lut build`"),
      ConfigKey::optional("fallback", ConfigType::Path,
                          "A second table consulted for signatures `file` lacks or marks failed, e.g. one built "
                          "from a roofline [[hardware]] instance with `nasctl lut build`; counted in the "
                          "fallback_layers metric"),
      ConfigKey::choice("missing", "error", {"error", "nan"},
                        "A network with a layer priced by no table: \"error\" fails the candidate with the list of "
                        "signatures; \"nan\" gives latency_ms = NaN (scored infeasible, the run goes on)"),
      ConfigKey::optional("scale", ConfigType::Float,
                          "Calibration: latency_ms = scale * sum + overhead_ms. Absent: the table's "
                          "`# calibration:` line (nasctl lut check --write-calibration), else 1. Setting it or "
                          "overhead_ms replaces a table calibration that has per-class scales or a per-layer term "
                          "by this plain one (the key not set: 1 or 0)"),
      ConfigKey::optional("overhead_ms", ConfigType::Float,
                          "Calibration: per-network overhead in ms. Absent: the table's `# calibration:` line, else 0"),
  };
}

LutModel::LutModel(const PluginContext& context) : instance_(context.instance) {
  const PluginConfig& config = context.config;
  nasctl::lut::LutFile primary = nasctl::lut::read_lut(config.get_path("file"));
  energy_ = primary.has_energy;
  std::optional<nasctl::lut::LutFile> fallback;
  if (config.has("fallback")) {
    fallback = nasctl::lut::read_lut(config.get_path("fallback"));
    fallback_ = true;
    if (energy_ && !fallback->has_energy)
      config.fail("fallback", fallback->path + " has no energy_mj column while " + primary.path +
                                  " has one, so energy_mj would be wrong for layers it prices; fix: use a fallback "
                                  "table with energy, or remove the energy_mj column from " + primary.path);
  }
  missing_is_nan_ = config.get_string("missing") == "nan";

  if (primary.calibration) {
    calibration_ = *primary.calibration;
    calibration_source_ = primary.path + ":" + std::to_string(primary.calibration_line);
  } else {
    calibration_source_ = "none (scale 1, overhead 0)";
  }
  if (config.has("scale") || config.has("overhead_ms")) {
    // A per-class table calibration's scale and overhead belong to its
    // other terms: keeping one of them beside the config's would price
    // networks with half of two calibrations. Start from the plain default.
    if (!calibration_.class_scales.empty() || calibration_.per_layer_ms != 0.0) calibration_ = nasctl::lut::Calibration{};
    if (config.has("scale")) calibration_.scale = config.get_double("scale");
    if (config.has("overhead_ms")) calibration_.overhead_ms = config.get_double("overhead_ms");
    calibration_source_ = "config";
  }
  if (!(calibration_.scale > 0) || !std::isfinite(calibration_.scale))
    config.fail("scale", "is " + nasctl::lut::number_text(calibration_.scale) +
                             "; fix: use a positive scale (nasctl lut check fits one)");
  if (!std::isfinite(calibration_.overhead_ms))
    config.fail("overhead_ms", "is not finite; fix: use a number of milliseconds");
  table_ = std::make_unique<nasctl::lut::LookupTable>(std::move(primary), std::move(fallback));
}

std::vector<MetricInfo> LutModel::metrics() const {
  std::vector<MetricInfo> m{
      {"latency_ms", "ms", "The layers' lookup-table latencies summed and calibrated (scale * sum + overhead_ms, or "
                           "the table's per-class form)"}};
  if (energy_) m.push_back({"energy_mj", "mJ", "Sum of the layers' lookup-table energies (not calibrated)"});
  if (fallback_) m.push_back({"fallback_layers", "count", "Layers priced by the fallback table"});
  return m;
}

Metrics LutModel::evaluate(const NetworkSpec& network) {
  const nasctl::lut::NetworkSum sum = table_->sum(network);
  if (!sum.complete() && !missing_is_nan_)
    throw EvaluationError("lut '" + instance_ + "': network '" + network.name + "': " +
                          table_->unusable_report(network) +
                          "; fix: run `nasctl lut build` with this space to measure them (it retries failed rows), or "
                          "set fallback = \"other-lut.csv\" or missing = \"nan\"");
  const double nan = std::nan("");
  const double latency = sum.complete() ? nasctl::lut::calibrated_latency(calibration_, sum) : nan;
  // A per-class calibration is a regression fitted on the checked networks;
  // far outside them it can extrapolate to nonsense, which must never win
  // a latency objective.
  if (sum.complete() && !(latency > 0))
    throw EvaluationError("lut '" + instance_ + "': network '" + network.name + "': the calibration (" +
                          calibration_source_ + ") gives " + nasctl::lut::number_text(latency) + " ms for a LUT sum of " +
                          nasctl::lut::number_text(sum.latency_ms) +
                          " ms: the network is unlike those the calibration was fitted on; fix: rerun nasctl lut "
                          "check --write-calibration with more networks (-n), or set scale and overhead_ms");
  Metrics m{{"latency_ms", latency}};
  if (energy_) m["energy_mj"] = sum.complete() ? sum.energy_mj : nan;
  if (fallback_) m["fallback_layers"] = static_cast<double>(sum.fallback_layers);
  return m;
}

Conditions LutModel::conditions() const {
  const nasctl::lut::LutFile& file = table_->primary();
  Conditions c{{"method", "sum of per-layer lookup-table entries, then calibrated"},
               {"file", file.path},
               {"entries", std::to_string(file.entries.size())},
               {"scale", nasctl::lut::number_text(calibration_.scale)},
               {"overhead_ms", nasctl::lut::number_text(calibration_.overhead_ms)},
               {"calibration_terms", nasctl::lut::calibration_terms(calibration_)},
               {"calibration", calibration_source_},
               {"missing", missing_is_nan_ ? "nan" : "error"}};
  // Where the table was measured travels with it.
  for (const char* name : {"space", "hardware", "conditions"}) {
    const std::string value = file.comment_value(name);
    if (!value.empty()) c[std::string("table_") + name] = value;
  }
  if (table_->fallback()) c["fallback"] = table_->fallback()->path;
  return c;
}

}  // namespace nasctl::hardware::lut
