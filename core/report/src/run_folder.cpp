#include "nasctl/report/run_folder.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/run_report.hpp"

namespace nasctl::report {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
const char* const kFix = "fix: give a folder written by `nasctl search` (or a `nasctl lut check --json` file)";

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw DataError(path.string() + ": cannot read; fix: check the file's permissions");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void check_is_finished_run(const std::string& dir) {
  std::error_code error;
  const auto status = fs::status(dir, error);
  if (!fs::exists(status)) throw DataError(dir + ": no such folder; " + kFix);
  if (!fs::is_directory(status)) throw DataError(dir + ": not a run folder (a file); " + kFix);
  if (fs::exists(fs::path(dir) / "run.json")) return;
  if (fs::exists(fs::path(dir) / "journal.jsonl"))
    throw DataError(dir + ": the run has not finished (no run.json yet); fix: finish it with `nasctl search --resume " +
                    dir + "`, then report it");
  throw DataError(dir + ": not a nasctl run folder (no run.json); " + kFix);
}

// A member of run.json, with the file named when it is missing or mistyped.
const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& file) {
  if (!j.is_object() || !j.contains(key))
    throw DataError(file + ": no '" + key + "'; fix: give a run folder written by `nasctl search` (the file is damaged)");
  return j.at(key);
}

double cell_number(const CsvTable& t, std::size_t row, std::size_t column) {
  const std::string& cell = t.rows[row][column];
  if (cell.empty() || cell == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (cell == "inf") return std::numeric_limits<double>::infinity();
  return t.number(row, column);
}

// evaluations.csv and pareto.csv share a header: index, arch, the metrics,
// then feasible, violation, eval_seconds, error.
std::vector<std::string> metric_columns(const CsvTable& t) {
  static const std::vector<std::string> kTail{"feasible", "violation", "eval_seconds", "error"};
  const auto& h = t.header;
  const bool ok = h.size() >= 6 && h[0] == "index" && h[1] == "arch" &&
                  std::equal(kTail.begin(), kTail.end(), h.end() - static_cast<std::ptrdiff_t>(kTail.size()));
  if (!ok)
    throw DataError(t.file + ":1: not a table written by `nasctl search` (expected index, arch, metrics, feasible, "
                    "violation, eval_seconds, error); fix: give the run folder as `nasctl search` left it");
  return {h.begin() + 2, h.end() - static_cast<std::ptrdiff_t>(kTail.size())};
}

Evaluation row_evaluation(const CsvTable& t, std::size_t row, std::size_t metrics) {
  Evaluation e;
  const double index = t.number(row, 0);
  if (index < 0 || index != std::floor(index))
    throw DataError(t.where(row) + ": column 'index': expected a whole number; fix: give the run folder as `nasctl search` left it");
  e.index = static_cast<std::size_t>(index);
  e.arch = t.rows[row][1];
  for (std::size_t m = 0; m < metrics; ++m) e.values.push_back(cell_number(t, row, 2 + m));
  const std::string& feasible = t.rows[row][2 + metrics];
  if (feasible != "true" && feasible != "false")
    throw DataError(t.where(row) + ": column 'feasible': expected true or false; fix: give the run folder as `nasctl search` left it");
  e.feasible = feasible == "true";
  e.violation = cell_number(t, row, 3 + metrics);
  return e;
}

}  // namespace

std::size_t RunFolder::metric_column(const std::string& metric) const {
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (metrics[i] == metric) return i;
  }
  return kNone;
}

std::string RunFolder::metric_title(const std::string& metric) const {
  auto it = units.find(metric);
  if (it == units.end() || it->second.empty()) return metric;
  return metric + " (" + it->second + ")";
}

RunFolder load_run_folder(const std::string& dir) {
  check_is_finished_run(dir);
  RunFolder run;
  run.dir = dir;
  const std::string json_file = (fs::path(dir) / "run.json").string();
  try {
    run.run = nlohmann::json::parse(read_text(json_file));
  } catch (const nlohmann::json::parse_error& e) {
    throw DataError(json_file + ": not valid JSON (" + e.what() + "); fix: give a run folder written by `nasctl search`");
  }
  // Runs written before run.json had the key are of version 1.
  const int version = run.run.is_object() && run.run.contains("run_format_version") && run.run["run_format_version"].is_number_integer()
                          ? run.run["run_format_version"].get<int>()
                          : 1;
  if (version > runtime::kRunFormatVersion)
    throw DataError(json_file + ": a run of format version " + std::to_string(version) + ", newer than this nasctl reads (" +
                    std::to_string(runtime::kRunFormatVersion) + "); fix: report it with the nasctl that wrote it (" +
                    run.run.value("nasctl_version", std::string("unknown")) + ") or a newer one");
  try {
    for (const auto& o : member(run.run, "objectives", json_file))
      run.objectives.push_back({o.at("metric").get<std::string>(), o.at("goal").get<std::string>() == "max"});
    for (const auto& c : member(run.run, "constraints", json_file)) {
      const bool at_most = c.contains("max");
      run.constraints.push_back({c.at("metric").get<std::string>(), at_most, c.at(at_most ? "max" : "min").get<double>()});
    }
    for (const auto& [instance, provider] : member(run.run, "providers", json_file).items()) {
      for (const auto& m : provider.at("metrics")) run.units[m.at("name").get<std::string>()] = m.value("unit", "");
    }
    if (run.run.contains("hypervolume"))
      run.reference = run.run["hypervolume"].at("reference_minimised").get<std::vector<double>>();
  } catch (const nlohmann::json::exception& e) {
    throw DataError(json_file + ": unexpected content (" + e.what() + "); fix: give a run folder written by `nasctl search`");
  }

  const CsvTable all = read_csv((fs::path(dir) / "evaluations.csv").string());
  run.metrics = metric_columns(all);
  std::unordered_map<std::size_t, std::size_t> position;
  for (std::size_t r = 0; r < all.rows.size(); ++r) {
    run.evaluations.push_back(row_evaluation(all, r, run.metrics.size()));
    position[run.evaluations.back().index] = r;
  }
  const CsvTable front = read_csv((fs::path(dir) / "pareto.csv").string());
  if (front.header != all.header)
    throw DataError(front.file + ":1: its columns differ from evaluations.csv's; fix: give the run folder as `nasctl search` left it");
  for (std::size_t r = 0; r < front.rows.size(); ++r) {
    const Evaluation e = row_evaluation(front, r, run.metrics.size());
    auto it = position.find(e.index);
    if (it == position.end() || run.evaluations[it->second].arch != e.arch)
      throw DataError(front.where(r) + ": evaluation " + std::to_string(e.index) +
                      " is not in evaluations.csv; fix: give the run folder as `nasctl search` left it");
    run.front.push_back(it->second);
  }
  for (const auto& o : run.objectives) {
    if (run.metric_column(o.metric) == kNone)
      throw DataError(all.file + ":1: no column for the objective '" + o.metric + "'; fix: give the run folder as `nasctl search` left it");
  }
  return run;
}

}  // namespace nasctl::report
