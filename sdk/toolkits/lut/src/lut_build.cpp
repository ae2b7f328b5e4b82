#include "nasctl/lut/lut_build.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_set>

#include "nasctl/csv.hpp"
#include "nasctl/atomic_file.hpp"
#include "nasctl/error.hpp"
#include "nasctl/lut/lut_file.hpp"

namespace nasctl::lut {

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "# hardware: cpu ..." -> "hardware" and "cpu ..."
std::string comment_name(const std::string& line) {
  const auto colon = line.find(':');
  return colon == std::string::npos || line.size() < 2 ? std::string() : line.substr(2, colon - 2);
}
std::string comment_value(const std::string& line) {
  const auto start = line.find_first_not_of(' ', line.find(':') + 1);
  return start == std::string::npos ? std::string() : line.substr(start);
}

// An existing table to extend: repaired, validated, same identity; its failed
// rows are removed (they are measured again). Returns the ok keys.
std::set<std::string> prepare_existing(const BuildOptions& o, BuildReport& report) {
  std::string text = read_text(o.file);
  if (!text.empty() && text.back() != '\n') {
    // A build killed mid-write leaves at most one partial row: drop it.
    text.erase(text.find_last_of('\n') == std::string::npos ? 0 : text.find_last_of('\n') + 1);
    write_file_atomically(o.file, text, "the table");
    report.repaired = true;
  }
  const LutFile lut = read_lut(o.file);
  for (const std::string& line : o.header) {
    const std::string name = comment_name(line);
    bool checked = false;
    for (const auto& id : o.identity) checked = checked || id == name;
    if (!checked) continue;
    const std::string want = comment_value(line);
    const std::string have = lut.comment_value(name);
    if (have != want)
      throw ConfigError(o.file + ": was measured with " + name + " '" + have + "', this build has '" + want +
                        "'; fix: write to another -o file, or delete " + o.file + " to measure it again from scratch");
  }
  if (lut.has_energy != o.energy)
    throw ConfigError(o.file + ": " + (lut.has_energy ? "has" : "has no") + " energy_mj column but the hardware " +
                      (o.energy ? "gives" : "gives no") + " energy; fix: write to another -o file");
  std::set<std::size_t> drop;
  std::set<std::string> ok;
  for (const LutEntry& e : lut.entries) {
    if (e.status == EntryStatus::Ok) ok.insert(e.key);
    else drop.insert(e.line);
  }
  report.retried = drop.size();
  if (drop.empty()) return ok;
  std::istringstream lines(text);
  std::string kept;
  std::size_t n = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!drop.count(++n)) kept += line + '\n';
  }
  write_file_atomically(o.file, kept, "the table");
  return ok;
}

void start_new(const BuildOptions& o) {
  std::ostringstream text;
  text << kFormatLine << '\n';
  for (const auto& line : o.header) text << line << '\n';
  write_csv_row(text, lut_columns(o.energy));
  write_file_atomically(o.file, text.str(), "the table");
}

// One measurement of a layer; a failure (exception or a nonsensical value)
// is kept as the layer's error, which ends its measuring.
void measure_once(const Layer& layer, const MeasureLayer& measure, bool energy, std::vector<LayerMeasurement>& seen,
                  std::string& error) {
  try {
    LayerMeasurement m = measure(layer);
    if (!energy) m.energy_mj = 0.0;
    if (!std::isfinite(m.latency_ms) || m.latency_ms < 0 || !std::isfinite(m.energy_mj) || m.energy_mj < 0)
      throw Error("the hardware returned latency " + number_text(m.latency_ms) +
                  (energy ? " ms, energy " + number_text(m.energy_mj) + " mJ" : " ms") +
                  "; fix: check the hardware plugin (a measurement is a finite number >= 0)");
    seen.push_back(m);
  } catch (const std::exception& e) {
    error = e.what();
    for (char& c : error) {
      if (c == '\n' || c == '\r') c = ' ';  // one cell, one line
    }
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

LutEntry combine(const std::string& key, const std::vector<LayerMeasurement>& seen, const std::string& error) {
  LutEntry entry;
  entry.key = key;
  if (!error.empty()) {
    entry.status = EntryStatus::Failed;
    entry.error = error;
    return entry;
  }
  std::vector<double> latency, energy;
  for (const auto& m : seen) {
    latency.push_back(m.latency_ms);
    energy.push_back(m.energy_mj);
  }
  entry.latency_ms = median(latency);
  entry.energy_mj = median(energy);
  return entry;
}

}  // namespace

BuildReport build_lut(const std::vector<Layer>& layers, const MeasureLayer& measure, const BuildOptions& o,
                      const BuildProgress& progress) {
  BuildReport report;
  // A build killed inside one of the table's atomic rewrites (the start, a
  // repair) leaves "<file>.tmp-XXXXXX"; this build owns the file, so it
  // removes them before anything else.
  remove_leftover_temporaries(o.file);
  report.resumed = std::filesystem::exists(o.file) && std::filesystem::file_size(o.file) > 0;
  std::set<std::string> present;
  if (report.resumed) present = prepare_existing(o, report);
  else start_new(o);

  std::vector<const Layer*> todo;
  std::unordered_set<std::string> asked;
  for (const Layer& layer : layers) {
    const std::string key = layer.key();
    if (!asked.insert(key).second) continue;
    if (present.count(key)) ++report.present;
    else todo.push_back(&layer);
  }
  report.signatures = asked.size();
  if (o.limit > 0 && todo.size() > o.limit) {
    report.left = todo.size() - o.limit;
    todo.resize(o.limit);
  }

  // With several passes every layer is measured once per pass, in turn, and
  // its row (the medians) written in the last pass: a drift of the machine's
  // load then spreads over all layers instead of biasing a run of them.
  const std::size_t passes = std::max<std::size_t>(1, o.passes);
  std::vector<std::vector<LayerMeasurement>> seen(todo.size());
  std::vector<std::string> errors(todo.size());
  std::ofstream out(o.file, std::ios::binary | std::ios::app);
  if (!out) throw Error(o.file + ": cannot append; fix: check the file is writable");
  std::size_t steps = 0;
  for (std::size_t pass = 0; pass < passes; ++pass) {
    const bool last = pass + 1 == passes;
    for (std::size_t i = 0; i < todo.size(); ++i) {
      if (errors[i].empty()) measure_once(*todo[i], measure, o.energy, seen[i], errors[i]);
      if (last) {
        const LutEntry entry = combine(todo[i]->key(), seen[i], errors[i]);
        write_csv_row(out, lut_row(*todo[i], entry, o.energy));
        out.flush();
        if (!out) throw Error(o.file + ": cannot append a row; fix: check the disk has space");
        ++(entry.status == EntryStatus::Ok ? report.measured : report.failed);
        if (entry.status == EntryStatus::Failed && report.first_error.empty())
          report.first_error = entry.key + ": " + entry.error;
      }
      if (progress) progress(++steps, report.failed, passes * todo.size());
    }
  }
  return report;
}

}  // namespace nasctl::lut
