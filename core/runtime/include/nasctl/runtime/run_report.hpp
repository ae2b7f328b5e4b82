// run.json: everything that happened in a run, for people and for tools:
// the resolved config, plugin names/versions/files, measurement conditions of
// every provider, timings, why it stopped, the front's hypervolume, and, when
// nothing was feasible, the candidates that came closest.
#pragma once

#include <string>
#include <vector>

#include "nasctl/runtime/outputs.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::runtime {

// run.json's run_format_version: raised when a run folder's files change in a
// way older readers (`nasctl report`, `nasctl pick`) would misread.
constexpr int kRunFormatVersion = 1;

struct RunReport {
  const Session& session;
  const RunSummary& summary;
  std::string started;
  std::string finished;
  double elapsed_seconds;       // all sessions of the run
  double session_seconds;       // this process
  double strategy_seconds;
  std::vector<double> reference;  // hypervolume reference (minimisation form)
  const std::vector<EvaluationRecord>& records;  // scored
  const std::vector<std::size_t>& front;
  std::string command_line;
  const std::vector<RankInfo>* ranks = nullptr;  // an MPI run's processes (run.json "distributed")
};

std::string run_json(const RunReport& report);

// Up to `n` infeasible records with the smallest violation, for messages.
std::vector<std::size_t> least_violating(const std::vector<EvaluationRecord>& records, std::size_t n);

}  // namespace nasctl::runtime
