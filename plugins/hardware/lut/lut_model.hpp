// The "lut" hardware plugin (HURRICANE / FBNet style): a network's latency is
// the sum of its layers' entries in a lookup table measured on the device
// (`nasctl lut build`), then calibrated: latency_ms = scale * sum + overhead_ms,
// or the table's per-class form (nasctl/lut/calibration.hpp).
// Instant and thread-safe, so a search can price every candidate; the table
// carries the device (measured once, possibly far away).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nasctl/lut/lookup_table.hpp"
#include "nasctl/metric_provider.hpp"

namespace nasctl::hardware::lut {

class LutModel : public HardwareModel {
 public:
  // Loads and validates `file` (and `fallback`); every malformed input is a
  // ConfigError naming the key, the file:line and the fix.
  explicit LutModel(const PluginContext& context);
  static std::vector<ConfigKey> config_keys();

  std::vector<MetricInfo> metrics() const override;
  // Throws EvaluationError listing the layers without a usable entry (unless
  // missing = "nan").
  Metrics evaluate(const NetworkSpec& network) override;
  Conditions conditions() const override;

  const nasctl::lut::Calibration& calibration() const { return calibration_; }

 private:
  std::unique_ptr<nasctl::lut::LookupTable> table_;
  nasctl::lut::Calibration calibration_;
  std::string calibration_source_;
  bool missing_is_nan_ = false;
  bool energy_ = false;
  bool fallback_ = false;
  std::string instance_;
};

}  // namespace nasctl::hardware::lut
