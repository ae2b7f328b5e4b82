// Helpers of the LUT tests: tables written from text or from a space's
// layers, and plugins constructed from their declared keys.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lut_model.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/lut/lut_file.hpp"
#include "nasctl/network_spec.hpp"
#include "ofa_mobilenetv3.hpp"
#include "plugin_config.hpp"
#include "temp_dir.hpp"

namespace nasctl::test {

inline const std::string kLutHeader = "key,op,in_shape,out_shape,kernel,stride,padding,groups,activation,latency_ms,status,error\n";

// A deterministic, layer-dependent latency (ms) for synthetic tables.
inline double synthetic_latency(const Layer& layer) {
  return 1e-6 * static_cast<double>(layer_macs(layer)) + 1e-4 * static_cast<double>(layer.out.elements() % 97) + 0.002;
}

// Writes a table with one ok row per layer (latency from `latency`, energy
// 2x latency when `energy`).
inline void write_table(const std::string& path, const std::vector<Layer>& layers,
                        const std::function<double(const Layer&)>& latency = synthetic_latency,
                        bool energy = false, const std::string& comments = "") {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << lut::kFormatLine << "\n" << comments;
  write_csv_row(out, lut::lut_columns(energy));
  for (const Layer& layer : layers) {
    lut::LutEntry e;
    e.key = layer.key();
    e.latency_ms = latency(layer);
    e.energy_mj = 2 * e.latency_ms;
    write_csv_row(out, lut::lut_row(layer, e, energy));
  }
}

inline std::unique_ptr<spaces::ofa_mobilenetv3::OfaMobileNetV3> ofa_space(std::vector<int64_t> resolutions = {224}, double width = 1.0) {
  return make_plugin<spaces::ofa_mobilenetv3::OfaMobileNetV3>({{"resolutions", resolutions}, {"width", width}});
}

inline std::unique_ptr<hardware::lut::LutModel> lut_model(const std::string& file,
                                                   std::map<std::string, ConfigValue> overrides = {}) {
  overrides["file"] = file;
  return make_plugin<hardware::lut::LutModel>(overrides);
}

}  // namespace nasctl::test
