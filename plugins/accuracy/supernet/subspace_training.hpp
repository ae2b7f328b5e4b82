// HURRICANE's per-stage training for the supernet source: the super-network
// of a staged search's sub-space (nasctl/subspace.hpp) trained through
// nasctl::train, the engine of `nasctl train`, before the stage is searched.
//
// The sub-space says what is sampled (its searched variables, elastic) and
// what is held (the others, at the stage's choices) and for how many epochs;
// the source's `train_*` keys are the recipe; the data is the source's own
// (the training part of `dataset` for the steps, its validation images for
// the per-epoch check). Each sub-space trains in <run>/subspaces/<name>/,
// the folder layout of `nasctl train` (checkpoint.pt, train_state.pt,
// metrics.csv): a run killed while training resumes from its last finished
// epoch, and a finished sub-space is reused, not trained again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "evaluation_data.hpp"
#include "nasctl/config.hpp"
#include "nasctl/subspace.hpp"
#include "sub_network_scores.hpp"

namespace nasctl {
class SearchSpace;
}

namespace nasctl::accuracy::supernet {

// The source's train_* keys, declared once here.
std::vector<ConfigKey> subspace_training_keys();

// What training a sub-space did.
struct SubspaceTraining {
  std::string folder;      // <run>/subspaces/<name>
  std::string checkpoint;  // <folder>/checkpoint.pt
  int64_t epochs = 0;      // of the sub-space
  int64_t trained_now = 0;  // epochs this call trained (0: all were done before, e.g. a resumed run)
};

class SubspaceTrainer {
 public:
  // Checks what a key's range cannot (train_lr > 0): a ConfigError naming
  // the key. `seed` is the run's.
  SubspaceTrainer(const PluginConfig& config, std::string who, uint64_t seed);

  // Trains `subspace`'s super-network of `space` starting from `initial` (a
  // checkpoint file; empty: seeded initial weights), or resumes or reuses
  // the training in the run folder. Bad input (a dataset the recipe cannot
  // train on, a batch larger than the training images) is a ConfigError
  // naming the key.
  SubspaceTraining train(const SearchSpace& space, const SubSpace& subspace, const EvaluationData& data,
                         const PassOptions& pass, const std::string& initial, const std::string& run_dir) const;

 private:
  const PluginConfig& config_;
  std::string who_;
  uint64_t seed_;
};

}  // namespace nasctl::accuracy::supernet
