// Reading and validating a LUT file. Comment lines are blanked (not removed)
// before the CSV parser sees the text, so every line number in a message is
// the line of the file the user opens.
#include "nasctl/lut/lut_file.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/text.hpp"

namespace nasctl::lut {

namespace {

const std::vector<std::string>& required_columns() {
  static const std::vector<std::string> c{"key", "latency_ms", "status"};
  return c;
}

// Columns nasctl writes besides the required ones; only energy_mj and error are read.
const std::set<std::string>& known_columns() {
  static const std::set<std::string> c{"key",    "op",        "in_shape", "out_shape",  "kernel", "stride", "padding",
                                       "groups", "activation", "latency_ms", "energy_mj", "status", "error"};
  return c;
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw DataError(path + ": cannot open the lookup table; fix: check the path, or build the table with "
                           "`nasctl lut build -c CONFIG --hardware NAME -o " + path + "`");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The CSV parser reads paths; an anonymous in-memory file holds the text
// with its comment lines blanked. Messages naming it are rewritten to name
// the real file.
CsvTable parse_blanked(const std::string& path, const std::string& blanked) {
  const int fd = ::memfd_create("nasctl-lut", MFD_CLOEXEC);
  if (fd < 0) throw DataError(path + ": cannot create an in-memory copy to parse; fix: free memory and retry");
  std::size_t written = 0;
  while (written < blanked.size()) {
    const ssize_t n = ::write(fd, blanked.data() + written, blanked.size() - written);
    if (n <= 0) {
      ::close(fd);
      throw DataError(path + ": cannot create an in-memory copy to parse; fix: free memory and retry");
    }
    written += static_cast<std::size_t>(n);
  }
  const std::string proxy = "/proc/self/fd/" + std::to_string(fd);
  try {
    CsvTable table = read_csv(proxy);
    ::close(fd);
    table.file = path;
    return table;
  } catch (const DataError& e) {
    ::close(fd);
    std::string what = e.what();
    for (auto pos = what.find(proxy); pos != std::string::npos; pos = what.find(proxy, pos + path.size()))
      what.replace(pos, proxy.size(), path);
    throw DataError(what);
  }
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

double checked_number(const CsvTable& t, std::size_t row, std::size_t col, const std::string& what) {
  const double v = t.number(row, col);  // throws "file:line: column 'c': '...' is not a finite number; fix: ..."
  if (v < 0)
    throw DataError(t.where(row) + ": column '" + t.header[col] + "': " + what + " " + t.rows[row][col] +
                    " is negative; fix: re-measure this signature (a latency or energy is never negative)");
  return v;
}

}  // namespace

std::string LutFile::comment_value(std::string_view name) const {
  const std::string prefix = "# " + std::string(name) + ":";
  for (const auto& c : comments) {
    if (c.rfind(prefix, 0) != 0) continue;
    const auto start = c.find_first_not_of(' ', prefix.size());
    return start == std::string::npos ? std::string() : c.substr(start);
  }
  return {};
}

std::string LutFile::where(const LutEntry& entry) const { return path + ":" + std::to_string(entry.line); }

LutFile read_lut(const std::string& path) {
  LutFile lut;
  lut.path = path;
  const std::string text = read_whole(path);

  std::string blanked;
  blanked.reserve(text.size());
  std::size_t line_no = 0, header_line = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == '#') {
      lut.comments.push_back(line);
      lut.comment_lines.push_back(line_no);
      blanked += '\n';
      continue;
    }
    if (header_line == 0 && !blank(line)) header_line = line_no;
    blanked += line + '\n';
  }
  if (header_line == 0)
    throw DataError(path + ": the lookup table has no header row; fix: start it with the columns " +
                    joined(lut_columns(false)) + " (nasctl lut build writes them)");
  const CsvTable t = parse_blanked(path, blanked);
  const std::string at_header = path + ":" + std::to_string(header_line);

  for (const std::string& h : t.header) {
    if (!known_columns().count(h))
      throw DataError(at_header + ": unknown column '" + h + "'; a lookup table has the columns " +
                      joined(lut_columns(true)) + "; fix: rename or remove it");
  }
  std::set<std::string> seen_columns;
  for (const std::string& h : t.header) {
    if (!seen_columns.insert(h).second)
      throw DataError(at_header + ": column '" + h + "' appears twice; fix: keep one");
  }
  for (const std::string& c : required_columns()) {
    if (!t.has_column(c))
      throw DataError(at_header + ": missing column '" + c + "' (columns are " + joined(t.header) +
                      "); fix: a lookup table needs key, latency_ms and status");
  }
  const std::size_t key_col = t.column("key"), lat_col = t.column("latency_ms"), status_col = t.column("status");
  lut.has_energy = t.has_column("energy_mj");
  const std::size_t energy_col = lut.has_energy ? t.column("energy_mj") : 0;
  const bool has_error = t.has_column("error");
  const std::size_t error_col = has_error ? t.column("error") : 0;

  for (std::size_t i = 0; i < lut.comments.size(); ++i) {
    const std::string prefix = "# calibration:";
    if (lut.comments[i].rfind(prefix, 0) != 0) continue;
    const std::string where = path + ":" + std::to_string(lut.comment_lines[i]);
    if (lut.calibration) throw DataError(where + ": a second calibration line; fix: keep one");
    lut.calibration = parse_calibration(std::string_view(lut.comments[i]).substr(prefix.size()), where);
    lut.calibration_line = lut.comment_lines[i];
  }

  std::unordered_map<std::string, std::size_t> first_line;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    LutEntry e;
    e.key = row[key_col];
    e.line = t.lines[r];
    if (e.key.empty()) throw DataError(t.where(r) + ": empty key; fix: write the layer signature (Layer::key())");
    const auto [it, fresh] = first_line.emplace(e.key, e.line);
    if (!fresh)
      throw DataError(t.where(r) + ": key '" + e.key + "' already appears on line " + std::to_string(it->second) +
                      "; fix: keep one row per layer signature");
    const std::string& status = row[status_col];
    if (status == "ok") {
      e.latency_ms = checked_number(t, r, lat_col, "latency");
      if (lut.has_energy) e.energy_mj = checked_number(t, r, energy_col, "energy");
    } else if (status == "failed") {
      e.status = EntryStatus::Failed;
      if (!row[lat_col].empty())
        throw DataError(t.where(r) + ": status 'failed' with latency_ms '" + row[lat_col] +
                        "'; fix: a failed row has an empty latency_ms (set status ok if the number is real)");
      e.error = has_error ? row[error_col] : "";
    } else {
      throw DataError(t.where(r) + ": column 'status': '" + status + "'; fix: write ok or failed");
    }
    lut.entries.push_back(std::move(e));
  }
  return lut;
}

}  // namespace nasctl::lut
