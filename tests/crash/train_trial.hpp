// One crash trial of `nasctl train`: the training killed with SIGKILL one or
// more times, started again as a user would (`--resume DIR` once the folder
// holds train_state.pt, the original command before), then resumed to the
// end. On the CPU, with a fixed seed and thread count, training is exactly
// reproducible, so the final checkpoint must equal the uninterrupted run's
// byte for byte, and metrics.csv must hold every epoch once with the same
// figures (its wall-clock columns aside).
#pragma once

#include <random>
#include <string>

#include "kill_moment.hpp"
#include "run_checks.hpp"

namespace nasctl::crash {

// A run of a few seconds: the width-0.35 grey small-stem OFA super-network
// on 96 Fashion-MNIST images, 3 epochs of the sandwich rule, one thread.
std::string train_config_text();

struct TrainReference {
  std::string dir;
  double seconds = 0.0;
  int writes = 0;
};
TrainReference run_train_reference(const std::string& config_file, const std::string& work_dir);

struct TrainTrialResult {
  std::vector<KillMoment> moments;
  std::vector<KillOutcome> outcomes;
  Problems problems;
};

TrainTrialResult run_train_trial(const std::string& config_file, const TrainReference& reference,
                                 const std::string& trial_dir, std::mt19937_64& rng, bool at_writes, int kills);

}  // namespace nasctl::crash
