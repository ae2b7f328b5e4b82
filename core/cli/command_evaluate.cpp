#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "commands.hpp"
#include "nasctl/atomic_file.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::cli {

namespace {

// Each architecture with where it came from ("argument 2", "archs.txt:7"),
// so an error points at the line to correct.
struct ArchitectureText {
  std::string text;
  std::string where;
};

void read_architecture_lines(const std::string& path, std::vector<ArchitectureText>& out) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read; fix: give a file with one architecture per line");
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty() && line[0] != '#') out.push_back({line, path + ":" + std::to_string(number)});
  }
}

}  // namespace

int run_evaluate_command(const EvaluateOptions& options) {
  std::vector<ArchitectureText> texts;
  for (std::size_t i = 0; i < options.architectures.size(); ++i)
    texts.push_back({options.architectures[i], "argument " + std::to_string(i + 1)});
  if (!options.archs_file.empty()) read_architecture_lines(options.archs_file, texts);
  if (texts.empty()) throw Error("no architectures given; fix: pass architecture strings or --archs FILE");
  // Evaluating can take minutes: refuse an unusable -o before, not after.
  if (!options.out_file.empty()) {
    const std::filesystem::path folder = std::filesystem::absolute(options.out_file).parent_path();
    if (!std::filesystem::is_directory(folder))
      throw ConfigError("-o " + options.out_file + ": folder " + folder.string() +
                        " does not exist; fix: create it or write the CSV elsewhere");
  }
  auto session = runtime::open_session(load_config(options.config), false);
  if (session->providers.empty())
    throw ConfigError(session->config.file + ": has no metric provider ([[hardware]] or [accuracy]) to evaluate "
                      "with; fix: add one (a config with only [space] and [train] is for nasctl train)");

  // Parse everything first: a typo in line 900 should not cost 899 measurements.
  std::vector<runtime::EvaluationRecord> records(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    try {
      records[i].arch = session->space->canonicalize(session->space->parse(texts[i].text));
    } catch (const Error& e) {
      throw ArchitectureError(texts[i].where + ": " + e.what());
    }
    records[i].canonical = session->space->to_string(records[i].arch);
    records[i].index = i;
  }
  std::vector<runtime::EvaluationRecord*> jobs;
  for (auto& r : records) jobs.push_back(&r);
  const std::size_t threads = session->config.threads ? session->config.threads : std::max(1u, std::thread::hardware_concurrency());
  runtime::LocalEvaluator evaluator(*session->space, session->providers, threads);
  evaluator.evaluate(jobs, [](runtime::EvaluationRecord&) {});

  // The whole table is made before anything is written: a failed
  // architecture leaves neither half a CSV on stdout nor a file behind.
  const auto names = session->metric_names();
  std::ostringstream csv;
  std::vector<std::string> header{"arch"};
  header.insert(header.end(), names.begin(), names.end());
  write_csv_row(csv, header);
  for (const auto& r : records) {
    if (!r.error.empty()) throw EvaluationError(r.canonical + ": " + r.error);
    std::vector<std::string> row{r.canonical};
    for (const auto& n : names) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.12g", r.metrics.at(n));
      row.push_back(buf);
    }
    write_csv_row(csv, row);
  }
  if (options.out_file.empty()) {
    std::cout << csv.str() << std::flush;
  } else {
    write_file_atomically(options.out_file, csv.str(), "the CSV");
  }
  return 0;
}

}  // namespace nasctl::cli
