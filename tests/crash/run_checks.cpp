#include "run_checks.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kill_moment.hpp"
#include "nasctl/csv.hpp"

namespace nasctl::crash {

namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct JournalView {
  std::vector<std::string> archs;  // in the order written
  bool cut_last_line = false;
};

// Read with nlohmann directly rather than nasctl's reader, so a fault of the
// reader cannot hide a fault of the writer.
JournalView read_journal(const std::string& path, Problems& problems) {
  JournalView view;
  const std::string text = read_all(path);
  std::size_t begin = 0, line = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    ++line;
    const bool last = end == std::string::npos;
    const std::string content = text.substr(begin, last ? std::string::npos : end - begin);
    begin = last ? text.size() : end + 1;
    nlohmann::json j = nlohmann::json::parse(content, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      if (last) view.cut_last_line = true;
      else problems.push_back(path + ":" + std::to_string(line) + ": a whole line that is not a JSON object");
      continue;
    }
    if (line == 1) {
      if (!j.contains("nasctl_journal")) problems.push_back(path + ":1: no journal header");
      continue;
    }
    if (j.contains("time_stop")) continue;
    if (!j.contains("arch") || !j["arch"].is_string()) {
      problems.push_back(path + ":" + std::to_string(line) + ": a record without its architecture");
      continue;
    }
    view.archs.push_back(j["arch"].get<std::string>());
  }
  std::set<std::string> seen;
  for (const auto& a : view.archs) {
    if (!seen.insert(a).second) problems.push_back(path + ": architecture journaled twice: " + a);
  }
  return view;
}

// The CSV's rows with the eval_seconds column left out.
std::vector<std::vector<std::string>> cells_without_timing(const CsvTable& t) {
  std::vector<std::vector<std::string>> rows{t.header};
  rows.insert(rows.end(), t.rows.begin(), t.rows.end());
  const std::size_t timing = t.column("eval_seconds");
  for (auto& row : rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(timing));
  return rows;
}

bool read_csv_into(const std::string& path, CsvTable& table, Problems& problems) {
  try {
    table = read_csv(path);
    return true;
  } catch (const std::exception& e) {
    problems.push_back(path + ": does not parse whole: " + e.what());
    return false;
  }
}

void compare_with_reference(const std::string& name, const std::string& run_dir, const std::string& reference_dir,
                            Problems& problems) {
  CsvTable ours, theirs;
  if (!read_csv_into(run_dir + "/" + name, ours, problems) || !read_csv_into(reference_dir + "/" + name, theirs, problems))
    return;
  const auto a = cells_without_timing(ours);
  const auto b = cells_without_timing(theirs);
  if (a.size() != b.size()) {
    problems.push_back(name + ": " + std::to_string(a.size() - 1) + " rows, the uninterrupted run has " +
                       std::to_string(b.size() - 1));
    return;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) {
      problems.push_back(name + ": row " + std::to_string(i) + " differs from the uninterrupted run's");
      return;
    }
  }
}

}  // namespace

Problems check_killed_folder(const std::string& run_dir) {
  Problems problems;
  const std::string journal = run_dir + "/journal.jsonl";
  if (!fs::exists(journal)) {
    // Killed before the journal was created: no output may exist yet.
    for (const char* f : {"evaluations.csv", "pareto.csv", "run.json"}) {
      if (fs::exists(run_dir + "/" + f)) problems.push_back(std::string(f) + " exists without a journal");
    }
    return problems;
  }
  const JournalView view = read_journal(journal, problems);
  const std::set<std::string> journaled(view.archs.begin(), view.archs.end());
  CsvTable table;
  if (fs::exists(run_dir + "/evaluations.csv") && read_csv_into(run_dir + "/evaluations.csv", table, problems)) {
    const std::size_t arch = table.column("arch");
    for (const auto& row : table.rows) {
      if (!journaled.count(row[arch])) problems.push_back("evaluations.csv has an architecture the journal lacks: " + row[arch]);
    }
  }
  if (fs::exists(run_dir + "/pareto.csv")) read_csv_into(run_dir + "/pareto.csv", table, problems);
  if (fs::exists(run_dir + "/run.json") &&
      nlohmann::json::parse(read_all(run_dir + "/run.json"), nullptr, false).is_discarded())
    problems.push_back("run.json does not parse whole");
  return problems;
}

Problems check_finished_folder(const std::string& run_dir, const std::string& reference_dir, std::size_t evaluations) {
  Problems problems;
  const JournalView view = read_journal(run_dir + "/journal.jsonl", problems);
  if (view.cut_last_line) problems.push_back("journal.jsonl: the final run left a cut-short last line");
  if (view.archs.size() != evaluations)
    problems.push_back("journal.jsonl: " + std::to_string(view.archs.size()) + " records, the budget is " +
                       std::to_string(evaluations));
  CsvTable table;
  if (read_csv_into(run_dir + "/evaluations.csv", table, problems)) {
    const std::size_t arch = table.column("arch");
    std::multiset<std::string> in_csv;
    for (const auto& row : table.rows) in_csv.insert(row[arch]);
    const std::multiset<std::string> in_journal(view.archs.begin(), view.archs.end());
    if (in_csv != in_journal) problems.push_back("evaluations.csv and journal.jsonl hold different evaluations");
  }
  const nlohmann::json run = nlohmann::json::parse(read_all(run_dir + "/run.json"), nullptr, false);
  if (run.is_discarded() || !run.contains("evaluations") || run["evaluations"] != evaluations)
    problems.push_back("run.json does not say " + std::to_string(evaluations) + " evaluations");
  compare_with_reference("evaluations.csv", run_dir, reference_dir, problems);
  compare_with_reference("pareto.csv", run_dir, reference_dir, problems);
  for (const auto& t : temporaries_in(run_dir)) problems.push_back("temporary left in the run folder: " + t);
  return problems;
}

}  // namespace nasctl::crash
