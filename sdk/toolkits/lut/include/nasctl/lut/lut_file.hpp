// The latency lookup table file (docs/hardware.md, "## lut"): a CSV with one
// row per layer signature (Layer::key()), preceded by '#' comment lines that
// record where it was measured and, once `nasctl lut check
// --write-calibration` ran, the calibration:
//
//   # nasctl-lut 1
//   # space: ofa-mobilenetv3
//   # hardware: cpu (plugin measure 1.0.0), metric latency_ms
//   # conditions: batch=1; device=cpu; mode=optimized; threads=1; ...
//   # calibration: scale=1.042 overhead_ms=0.35 (nasctl lut check: n=50, ...)
//   key,op,in_shape,out_shape,kernel,stride,padding,groups,activation,latency_ms,status,error
//   conv2d|3x224x224|16x112x112|k3|s2|p1|g1|bn|hswish,conv2d,3x224x224,...,0.412,ok,
//
// `key`, `latency_ms` and `status` are required; energy_mj is optional; the
// other columns describe the key for people and are not read. A failed
// measurement is the state `failed` with an empty latency and the error text,
// never a sentinel number.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl::lut {

// The first comment line of every table nasctl writes.
inline constexpr const char* kFormatLine = "# nasctl-lut 1";

enum class EntryStatus { Ok, Failed };

struct LutEntry {
  std::string key;
  EntryStatus status = EntryStatus::Ok;
  double latency_ms = 0.0;  // meaningful when Ok
  double energy_mj = 0.0;   // meaningful when Ok and the table has energy
  std::string error;        // why a Failed measurement failed
  std::size_t line = 0;     // 1-based line in the file
};

// latency_ms of a network = overhead_ms + per_layer_ms * (its layers)
//   + the sum over its layers of scale_c * entry, where scale_c is the
//   class_scales value of the layer's class (layer_class.hpp), else scale.
// The plain form (scale and overhead only) is the common case; see
// calibration.hpp for when the others are fitted.
struct Calibration {
  double scale = 1.0;
  double overhead_ms = 0.0;
  double per_layer_ms = 0.0;
  std::map<std::size_t, double> class_scales;  // layer_class() -> its scale
};

struct LutFile {
  std::string path;
  // Comment lines as written ("# space: ..."), with their 1-based lines.
  std::vector<std::string> comments;
  std::vector<std::size_t> comment_lines;
  std::optional<Calibration> calibration;  // from a "# calibration:" line
  std::size_t calibration_line = 0;
  bool has_energy = false;                 // the energy_mj column is present
  std::vector<LutEntry> entries;           // file order

  // Value of the comment "# <name>: <value>" (empty when absent).
  std::string comment_value(std::string_view name) const;
  // "path:line" of an entry, for messages.
  std::string where(const LutEntry& entry) const;
};

// Reads and validates a table. Throws DataError "file:line: ...; fix: ..."
// for an unreadable or empty file, malformed CSV, a missing or unknown
// column, an empty or duplicate key, a status other than ok/failed, an ok
// row whose latency (or energy) is not a finite number >= 0, a failed row
// that carries a latency, and a malformed calibration line.
LutFile read_lut(const std::string& path);

// The columns nasctl writes, in order (energy_mj only when `energy`).
std::vector<std::string> lut_columns(bool energy);

// The CSV fields of one row for `layer` (descriptive columns from the layer),
// matching lut_columns(energy). A failed row has empty latency and energy.
std::vector<std::string> lut_row(const Layer& layer, const LutEntry& entry, bool energy);

// "scale=... overhead_ms=... [per_layer_ms=...] [class.<name>=...]...": the
// terms as the table's line writes them (also shown in run.json and logs).
std::string calibration_terms(const Calibration& calibration);

// "# calibration: " + calibration_terms() plus a note in parentheses.
std::string calibration_line(const Calibration& calibration, const std::string& note);

// Parses the text after "# calibration:"; throws DataError naming `where`.
Calibration parse_calibration(std::string_view text, const std::string& where);


// Writes (or replaces) the calibration line of an existing table, keeping
// every other line as it is; the line goes after the leading comments.
void write_calibration(const std::string& path, const Calibration& calibration, const std::string& note);

// Numbers as written to tables and reports: shortest text that reads back
// to the same double.
std::string number_text(double value);

}  // namespace nasctl::lut
