// A device profile: the handful of numbers the roofline model needs about
// one device, read from a TOML file (format in docs/hardware.md, shipped
// examples in data/devices/). Every layer of a network falls into one of
// four op classes, each with its own peak rate and the share of it a real
// runtime sustains, because devices run them at very different efficiencies
// (a depthwise convolution reuses each loaded value k*k times, a dense one
// hundreds of times).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace nasctl::hardware::roofline {

enum class OpClass { DenseConv, DepthwiseConv, Linear, Elementwise };
constexpr int kOpClasses = 4;

// The profile table of each class: "dense_conv", "depthwise_conv", "linear", "elementwise".
const char* op_class_key(OpClass op_class);

struct ClassRate {
  // Peak work per second: MACs for the three MAC classes, element operations
  // for "elementwise".
  double peak_per_s = 0.0;
  double efficiency = 1.0;  // share of the peak sustained, (0, 1]

  double sustained_per_s() const { return peak_per_s * efficiency; }
};

// How energy follows from the work (absent: the profile gives no energy).
struct EnergyModel {
  enum class Kind { None, AveragePower, PerOperation };
  Kind kind = Kind::None;
  double average_power_w = 0.0;  // AveragePower: energy = power x latency
  // PerOperation: energy = MACs x pJ/MAC + element ops x pJ/op + bytes x pJ/byte
  //                        + static power x latency
  double pj_per_mac = 0.0;
  double pj_per_element = 0.0;
  double pj_per_byte = 0.0;
  double static_power_w = 0.0;
};

struct DeviceProfile {
  std::string file;       // where it was read from, for messages and run.json
  std::string device;     // human-readable device name
  std::string precision;  // e.g. "int8", "fp16", "fp32"
  double bytes_per_element = 4.0;  // weights and activations
  double layer_overhead_s = 0.0;   // fixed cost of running any layer
  double memory_peak_bytes_per_s = 0.0;
  double memory_efficiency = 1.0;
  std::array<ClassRate, kOpClasses> classes{};
  EnergyModel energy;

  const ClassRate& rate(OpClass op_class) const { return classes[static_cast<int>(op_class)]; }
  double memory_bytes_per_s() const { return memory_peak_bytes_per_s * memory_efficiency; }
  bool has_energy() const { return energy.kind != EnergyModel::Kind::None; }
};

constexpr int kProfileFormatVersion = 1;

// Parses profile text; `file` names it in messages. Throws nasctl::DataError,
// one line "file:line:col: key 'x': what; fix: ...", for TOML syntax errors,
// a missing op class or key, a value that is not a number, out of range,
// unknown keys (typos), or energy given in two ways at once.
DeviceProfile parse_device_profile(std::string_view text, const std::string& file);
// Reads and parses a file; DataError when it cannot be read.
DeviceProfile load_device_profile(const std::string& path);

}  // namespace nasctl::hardware::roofline
