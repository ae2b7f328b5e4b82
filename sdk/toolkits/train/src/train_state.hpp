// train_state.pt: everything --resume needs, in one file replaced whole
// (write + rename), so that a run killed at any moment resumes from the last
// finished epoch: the super-network's tensors, the optimiser's state, and a
// JSON record (epochs and steps done, the run's identity, the history of
// epoch metrics) stored as a uint8 tensor under kRecordKey. It is a
// torch.save file like checkpoint.pt (Python reads the record with
// bytes(sd['nasctl.train_state'].numpy()).decode()).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nasctl/supernet/state_dict.hpp"
#include "nasctl/train/trainer.hpp"

namespace nasctl::train::detail {

inline constexpr const char* kRecordKey = "nasctl.train_state";
inline constexpr int kStateVersion = 1;

struct Progress {
  int64_t epochs_done = 0;
  int64_t steps_done = 0;  // over the whole run
  std::map<std::string, std::string> identity;
  std::vector<EpochReport> history;
};

struct SavedState {
  supernet::StateDict network;    // the super-network's tensors, under the space's names
  supernet::StateDict optimiser;  // "optimiser.*"
  Progress progress;
};

void write_state(const std::string& path, const supernet::StateDict& network, const supernet::StateDict& optimiser,
                 const Progress& progress);
// Throws nasctl::Error naming `path` for a file that is not a state file of
// this nasctl.
SavedState read_state(const std::string& path);

// The first key whose value differs between a stored identity and this
// run's, as "key 'train.lr' was 0.1, is 0.2"; empty when they agree.
std::string identity_difference(const std::map<std::string, std::string>& stored,
                                const std::map<std::string, std::string>& now);

}  // namespace nasctl::train::detail
