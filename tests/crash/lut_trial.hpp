// One crash trial of `nasctl lut build`: the build killed with SIGKILL one or
// more times, rerun each time (a rerun extends the table), then run to the
// end. Only a timing provider (measure) can build a table, so the finished
// table is compared with an uninterrupted build by its set of signatures
// (complete, each once, every row ok), never by its times.
#pragma once

#include <random>
#include <set>
#include <string>

#include "kill_moment.hpp"
#include "run_checks.hpp"

namespace nasctl::crash {

// The lut build config: OFA at 128x128 (160 signatures), measured by the
// `measure` plugin on one CPU thread with few repeats.
std::string lut_config_text();

struct LutReference {
  std::set<std::string> keys;
  double seconds = 0.0;
  int writes = 0;
};
LutReference run_lut_reference(const std::string& config_file, const std::string& work_dir);

struct LutTrialResult {
  std::vector<KillMoment> moments;
  std::vector<KillOutcome> outcomes;
  Problems problems;
};

LutTrialResult run_lut_trial(const std::string& config_file, const LutReference& reference, const std::string& trial_dir,
                             std::mt19937_64& rng, bool at_writes, int kills);

}  // namespace nasctl::crash
