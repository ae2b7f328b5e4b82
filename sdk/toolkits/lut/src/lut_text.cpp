// Writing LUT files: columns, rows, the calibration line, atomic rewrites.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "nasctl/lut/layer_class.hpp"
#include "nasctl/lut/lut_file.hpp"

namespace nasctl::lut {

namespace {

std::string shape_text(const TensorShape& s) {
  return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width);
}

bool has_window(OpKind op) { return op == OpKind::Conv2d || op == OpKind::AvgPool2d || op == OpKind::MaxPool2d; }

// Error texts go into one CSV cell on one line.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

std::string number_text(double value) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

namespace {

// 12 significant digits: exact for counts (a table of MACs sums exactly),
// and without the binary noise of the last digits (0.021026000000000003).
std::string measurement_text(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", value);
  return buf;
}

}  // namespace

std::vector<std::string> lut_columns(bool energy) {
  std::vector<std::string> c{"key", "op", "in_shape", "out_shape", "kernel", "stride", "padding", "groups",
                             "activation", "latency_ms"};
  if (energy) c.push_back("energy_mj");
  c.push_back("status");
  c.push_back("error");
  return c;
}

std::vector<std::string> lut_row(const Layer& layer, const LutEntry& entry, bool energy) {
  const bool window = has_window(layer.op);
  const bool grouped = layer.op == OpKind::Conv2d || layer.op == OpKind::ChannelShuffle || layer.op == OpKind::Attention;
  const bool ok = entry.status == EntryStatus::Ok;
  std::vector<std::string> row{entry.key,
                               to_string(layer.op),
                               shape_text(layer.in),
                               shape_text(layer.out),
                               window ? std::to_string(layer.kernel) : "",
                               window ? std::to_string(layer.stride) : "",
                               window ? std::to_string(layer.padding) : "",
                               grouped ? std::to_string(layer.groups) : "",
                               to_string(layer.activation),
                               ok ? measurement_text(entry.latency_ms) : ""};
  if (energy) row.push_back(ok ? measurement_text(entry.energy_mj) : "");
  row.push_back(ok ? "ok" : "failed");
  row.push_back(ok ? "" : one_line(entry.error));
  return row;
}

std::string calibration_terms(const Calibration& c) {
  std::string terms = "scale=" + number_text(c.scale) + " overhead_ms=" + number_text(c.overhead_ms);
  if (c.per_layer_ms != 0.0) terms += " per_layer_ms=" + number_text(c.per_layer_ms);
  for (const auto& [layer_class, scale] : c.class_scales)
    terms += " class." + layer_class_name(layer_class) + "=" + number_text(scale);
  return terms;
}

std::string calibration_line(const Calibration& c, const std::string& note) {
  std::string line = "# calibration: " + calibration_terms(c);
  if (!note.empty()) line += " (" + one_line(note) + ")";
  return line;
}

Calibration parse_calibration(std::string_view text, const std::string& where) {
  // "scale=1.04 overhead_ms=0.35 [per_layer_ms=0.01] [class.se=0.9]...
  // (note)": the note is free text.
  const std::string body(text.substr(0, text.find('(')));
  std::istringstream words(body);
  bool have_scale = false, have_overhead = false;
  Calibration c;
  const auto fail = [&](const std::string& what) {
    throw DataError(where + ": calibration line: " + what +
                    "; fix: write '# calibration: scale=<number > 0> overhead_ms=<number> [per_layer_ms=<number>] "
                    "[class.<layer class>=<number>]...' (nasctl lut check --write-calibration writes it), or "
                    "delete the line");
  };
  for (std::string word; words >> word;) {
    if (!word.empty() && word.back() == ',') word.pop_back();
    const auto eq = word.find('=');
    if (eq == std::string::npos) fail("'" + word + "' is not name=value");
    const std::string name = word.substr(0, eq), value = word.substr(eq + 1);
    double v = 0;
    const auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (err != std::errc() || end != value.data() + value.size() || !std::isfinite(v))
      fail(name + " '" + value + "' is not a finite number");
    if (name == "scale") {
      if (v <= 0) fail("scale " + value + " is not positive");
      c.scale = v;
      have_scale = true;
    } else if (name == "overhead_ms") {
      c.overhead_ms = v;
      have_overhead = true;
    } else if (name == "per_layer_ms") {
      c.per_layer_ms = v;
    } else if (name.rfind("class.", 0) == 0) {
      const std::optional<std::size_t> layer_class = layer_class_from_name(name.substr(6));
      if (!layer_class) fail("unknown layer class '" + name.substr(6) + "'");
      if (!c.class_scales.emplace(*layer_class, v).second) fail(name + " given twice");
    } else {
      fail("unknown name '" + name + "'");
    }
  }
  if (!have_scale || !have_overhead) fail(std::string("no ") + (have_scale ? "overhead_ms" : "scale"));
  return c;
}

void write_calibration(const std::string& path, const Calibration& calibration, const std::string& note) {
  const LutFile lut = read_lut(path);  // a valid table only: never calibrate a broken one
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::string new_line = calibration_line(calibration, note);
  if (lut.calibration_line > 0) {
    lines[lut.calibration_line - 1] = new_line;
  } else {
    std::size_t at = 0;  // after the leading comment lines
    while (at < lines.size() && !lines[at].empty() && lines[at][0] == '#') ++at;
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), new_line);
  }
  std::string text;
  for (const auto& l : lines) text += l + '\n';
  write_file_atomically(path, text, "the table");
}

}  // namespace nasctl::lut
