// Reading device profiles with TOML++. Every problem is reported at the
// file:line:col of the value (or of the table that lacks a key), because a
// profile is hand-written from spec sheets and typos are the common error.
#include "device_profile.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "nasctl/error.hpp"

namespace nasctl::hardware::roofline {

namespace {

constexpr const char* kFormatDoc = "see the profile format in docs/hardware.md (## roofline) or data/devices/*.toml";

enum class Range { Positive, Share, NonNegative };

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  std::string at(const toml::node& node) const {
    const toml::source_region& src = node.source();
    if (src.begin.line == 0) return file_;
    return file_ + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
  }

  [[noreturn]] void fail(const std::string& where, const std::string& key, const std::string& what,
                         const std::string& fix) const {
    throw DataError(where + ": key '" + key + "': " + what + "; fix: " + fix);
  }

  // A required sub-table, e.g. [depthwise_conv].
  const toml::table& table(const toml::table& root, const char* key, const std::string& what_it_is) const {
    const toml::node* node = root.get(key);
    if (!node)
      fail(file_, key, "missing (" + what_it_is + ")",
           std::string("add a [") + key + "] table; " + kFormatDoc);
    if (!node->is_table())
      fail(at(*node), key, "must be a table, got " + type_name(*node), std::string("write it as [") + key + "]");
    return *node->as_table();
  }

  double number(const toml::table& t, const std::string& prefix, const char* key, Range range,
                const std::string& unit_hint) const {
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    const toml::node* node = t.get(key);
    if (!node) fail(at(t), full, "missing", std::string("add ") + key + " = <number> (" + unit_hint + ")");
    return checked(*node, full, range, unit_hint);
  }

  // An optional number; `fallback` when absent.
  double number_or(const toml::table& t, const std::string& prefix, const char* key, Range range,
                   const std::string& unit_hint, double fallback) const {
    const toml::node* node = t.get(key);
    if (!node) return fallback;
    return checked(*node, prefix + "." + key, range, unit_hint);
  }

  std::string string(const toml::table& t, const char* key, bool required) const {
    const toml::node* node = t.get(key);
    if (!node) {
      if (required) fail(file_, key, "missing", std::string("add ") + key + " = \"...\"");
      return "";
    }
    if (!node->is_string()) fail(at(*node), key, "must be a string, got " + type_name(*node), "quote the value");
    return node->value<std::string>().value_or("");
  }

  void only_keys(const toml::table& t, const std::string& prefix, const std::set<std::string>& allowed) const {
    for (const auto& [key, node] : t) {
      const std::string name(key.str());
      if (allowed.count(name)) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(at(node), prefix.empty() ? name : prefix + "." + name, "unknown key",
           "use one of " + list + " (a typo?)");
    }
  }

 private:
  static std::string type_name(const toml::node& node) {
    switch (node.type()) {
      case toml::node_type::string: return "string \"" + node.value<std::string>().value_or("") + "\"";
      case toml::node_type::boolean: return "a boolean";
      case toml::node_type::table: return "a table";
      case toml::node_type::array: return "an array";
      default: return "a date/time";
    }
  }

  double checked(const toml::node& node, const std::string& full, Range range, const std::string& unit_hint) const {
    if (!node.is_number()) fail(at(node), full, "must be a number, got " + type_name(node), "write a number (" + unit_hint + ")");
    const double v = node.value<double>().value_or(NAN);
    if (!std::isfinite(v)) fail(at(node), full, "must be finite", "write a finite number (" + unit_hint + ")");
    if (range == Range::Positive && v <= 0)
      fail(at(node), full, "must be > 0, got " + number_text(v), "give the positive figure (" + unit_hint + ")");
    if (range == Range::Share && (v <= 0 || v > 1))
      fail(at(node), full, "must be in (0, 1], got " + number_text(v),
           "give the share of the peak sustained, e.g. 0.5 for 50%");
    if (range == Range::NonNegative && v < 0)
      fail(at(node), full, "must be >= 0, got " + number_text(v), "give a non-negative figure (" + unit_hint + ")");
    return v;
  }

  std::string file_;
};

ClassRate read_class(const Reader& r, const toml::table& root, OpClass op_class) {
  const char* key = op_class_key(op_class);
  const bool elementwise = op_class == OpClass::Elementwise;
  const char* peak_key = elementwise ? "peak_gelements" : "peak_gmacs";
  const std::string unit = elementwise ? "billions of element operations per second" : "billions of MACs per second";
  const toml::table& t = r.table(root, key, "a required op class");
  r.only_keys(t, key, {peak_key, "efficiency"});
  ClassRate rate;
  rate.peak_per_s = r.number(t, key, peak_key, Range::Positive, unit) * 1e9;
  rate.efficiency = r.number(t, key, "efficiency", Range::Share, "share of the peak, 0..1");
  return rate;
}

EnergyModel read_energy(const Reader& r, const toml::table& root) {
  EnergyModel energy;
  const toml::node* node = root.get("energy");
  if (!node) return energy;
  const toml::table& t = r.table(root, "energy", "optional energy model");
  r.only_keys(t, "energy", {"average_power_w", "pj_per_mac", "pj_per_byte", "pj_per_element", "static_power_w"});
  const bool power = t.contains("average_power_w");
  const bool per_op = t.contains("pj_per_mac") || t.contains("pj_per_byte") || t.contains("pj_per_element") ||
                      t.contains("static_power_w");
  if (power && per_op)
    r.fail(r.at(t), "energy", "gives average_power_w and per-operation energies at once",
           "keep either average_power_w or pj_per_mac + pj_per_byte (+ optional pj_per_element, static_power_w)");
  if (power) {
    energy.kind = EnergyModel::Kind::AveragePower;
    energy.average_power_w = r.number(t, "energy", "average_power_w", Range::Positive, "watts while running");
    return energy;
  }
  energy.kind = EnergyModel::Kind::PerOperation;
  energy.pj_per_mac = r.number(t, "energy", "pj_per_mac", Range::NonNegative, "picojoules per MAC");
  energy.pj_per_byte = r.number(t, "energy", "pj_per_byte", Range::NonNegative, "picojoules per byte moved");
  energy.pj_per_element = r.number_or(t, "energy", "pj_per_element", Range::NonNegative, "picojoules per element op", 0);
  energy.static_power_w = r.number_or(t, "energy", "static_power_w", Range::NonNegative, "watts", 0);
  return energy;
}

}  // namespace

const char* op_class_key(OpClass op_class) {
  switch (op_class) {
    case OpClass::DenseConv: return "dense_conv";
    case OpClass::DepthwiseConv: return "depthwise_conv";
    case OpClass::Linear: return "linear";
    case OpClass::Elementwise: return "elementwise";
  }
  return "?";
}

DeviceProfile parse_device_profile(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw DataError(file + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) +
                    ": TOML syntax: " + std::string(e.description()) + "; fix: correct the syntax at that place");
  }
  const Reader r(file);
  r.only_keys(root, "",
              {"version", "device", "precision", "bytes_per_element", "layer_overhead_us", "memory", "dense_conv",
               "depthwise_conv", "linear", "elementwise", "energy"});

  const toml::node* version = root.get("version");
  if (!version)
    r.fail(file, "version", "missing", "add version = " + std::to_string(kProfileFormatVersion) + " at the top");
  if (!version->is_integer() || version->value<int64_t>().value_or(0) != kProfileFormatVersion)
    r.fail(r.at(*version), "version", "profile format version is not " + std::to_string(kProfileFormatVersion),
           "this nasctl reads version " + std::to_string(kProfileFormatVersion) + " profiles; " + kFormatDoc);

  DeviceProfile p;
  p.file = file;
  p.device = r.string(root, "device", true);
  p.precision = r.string(root, "precision", false);
  p.bytes_per_element = r.number(root, "", "bytes_per_element", Range::Positive, "4 fp32, 2 fp16, 1 int8");
  p.layer_overhead_s = r.number(root, "", "layer_overhead_us", Range::NonNegative, "microseconds per layer") * 1e-6;

  const toml::table& memory = r.table(root, "memory", "memory bandwidth");
  r.only_keys(memory, "memory", {"bandwidth_gbps", "efficiency"});
  p.memory_peak_bytes_per_s = r.number(memory, "memory", "bandwidth_gbps", Range::Positive, "GB/s") * 1e9;
  p.memory_efficiency = r.number(memory, "memory", "efficiency", Range::Share, "share of the peak, 0..1");

  for (int c = 0; c < kOpClasses; ++c) p.classes[c] = read_class(r, root, static_cast<OpClass>(c));
  p.energy = read_energy(r, root);
  return p;
}

DeviceProfile load_device_profile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot read the device profile; fix: check the path (relative paths resolve against the config file's folder)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_device_profile(text.str(), path);
}

}  // namespace nasctl::hardware::roofline
