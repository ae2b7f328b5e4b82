#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::cli {

namespace {

std::vector<std::string> read_architecture_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read; fix: give a file with one architecture per line");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

}  // namespace

int run_evaluate_command(const EvaluateOptions& options) {
  std::vector<std::string> texts = options.architectures;
  if (!options.archs_file.empty()) {
    const auto more = read_architecture_lines(options.archs_file);
    texts.insert(texts.end(), more.begin(), more.end());
  }
  if (texts.empty()) throw Error("no architectures given; fix: pass architecture strings or --archs FILE");
  auto session = runtime::open_session(load_config(options.config), false);

  // Parse everything first: a typo in line 900 should not cost 899 measurements.
  std::vector<runtime::EvaluationRecord> records(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    try {
      records[i].arch = session->space->canonicalize(session->space->parse(texts[i]));
    } catch (const Error& e) {
      const std::string where = options.archs_file.empty() ? "argument " + std::to_string(i + 1) : options.archs_file;
      throw ArchitectureError(where + ": " + e.what());
    }
    records[i].canonical = session->space->to_string(records[i].arch);
    records[i].index = i;
  }
  std::vector<runtime::EvaluationRecord*> jobs;
  for (auto& r : records) jobs.push_back(&r);
  const std::size_t threads = session->config.threads ? session->config.threads : std::max(1u, std::thread::hardware_concurrency());
  runtime::LocalEvaluator evaluator(*session->space, session->providers, threads);
  evaluator.evaluate(jobs, [](runtime::EvaluationRecord&) {});

  const auto names = session->metric_names();
  std::vector<std::string> header{"arch"};
  header.insert(header.end(), names.begin(), names.end());
  write_csv_row(std::cout, header);
  for (const auto& r : records) {
    if (!r.error.empty()) throw EvaluationError(r.canonical + ": " + r.error);
    std::vector<std::string> row{r.canonical};
    for (const auto& n : names) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.12g", r.metrics.at(n));
      row.push_back(buf);
    }
    write_csv_row(std::cout, row);
  }
  return 0;
}

}  // namespace nasctl::cli
