// Training a weight-sharing super-network (docs/train.md): each step reads a
// shuffled, augmented batch, trains the step's sub-networks
// (step_architectures) with gradients accumulated on the shared tensors, and
// takes one optimiser step; each epoch ends with a validation of the largest
// and the smallest sub-network and the run folder's files written whole:
//   checkpoint.pt     the super-network (torch.save, the space's names): what
//                     the `supernet` accuracy source and `nasctl export
//                     --checkpoint` load
//   train_state.pt    the same tensors plus the optimiser's state and the
//                     run's progress and identity: what --resume continues
//   metrics.csv       one row per epoch
// Every random choice is drawn from a generator seeded by (seed, epoch,
// step), so a run resumed after epoch k draws what the uninterrupted run
// drew, and on the CPU with a fixed thread count gives the same tensors.
// LibTorch types are only declared here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/train/options.hpp"

namespace nasctl {
class SearchSpace;
}

namespace nasctl::datasets {
class Dataset;
}

namespace nasctl::train {

struct TrainData {
  std::shared_ptr<const datasets::Dataset> train;       // what steps read (shuffled each epoch)
  std::shared_ptr<const datasets::Dataset> validation;  // what each epoch is scored on
  // The input size the batches are read at. A dataset that augments as it
  // reads (an image folder) is read at each step's sub-networks' size
  // instead, which may differ from step to step (elastic resolution).
  int resolution = 0;
  float pad_value = 0.0f;   // the value of a black pixel after normalisation (random-crop padding)
  std::string description;  // for logs
};

// After each step, for the progress line.
struct StepReport {
  int64_t epoch = 0;           // 1-based, over all phases
  int64_t epochs = 0;          // of the whole run
  int64_t step = 0;            // 1-based within the epoch
  int64_t steps = 0;           // of the epoch
  int64_t phase = 0;           // 1-based
  double lr = 0.0;
  double loss = 0.0;           // mean over the epoch so far (see EpochReport::loss)
  double train_top1 = 0.0;     // % of the epoch's images so far
  int64_t images = 0;          // images trained in this epoch so far (per sub-network)
  int64_t resolution = 0;      // the step's images were resolution x resolution
  std::vector<Architecture> architectures;  // the step's sub-networks, in training order
};

struct EpochReport {
  int64_t epoch = 0;           // 1-based, over all phases
  int64_t phase = 0;           // 1-based
  int64_t steps = 0;
  double lr = 0.0;             // of the epoch's last step
  // Mean training loss of each step's first sub-network (the largest with
  // the sandwich rule, the drawn one with SPOS), label smoothing included,
  // and its top-1 on the (augmented) training batches.
  double loss = 0.0;
  double train_top1 = 0.0;
  double top1_largest = 0.0;   // % on the validation images, batch norms re-calibrated
  double top1_smallest = 0.0;
  // Training images per second, each counted once however many sub-networks
  // a step trains on it (a sandwich step of 4 sub-networks costs ~4 SPOS steps).
  double images_per_second = 0.0;
  double seconds = 0.0;            // the epoch's training time, validation excluded
};

// Channel sorting at the start of a phase (Phase::sort_channels).
struct SortReport {
  int64_t phase = 0;           // 1-based
  int64_t groups = 0;          // the space's channel groups, all sorted
  int64_t channels_moved = 0;  // channels now at another position
};

struct TrainCallbacks {
  std::function<void(const StepReport&)> on_step;
  std::function<void(const EpochReport&)> on_epoch;
  std::function<void(const SortReport&)> on_channels_sorted;
};

struct TrainSummary {
  int64_t epochs_done = 0;     // over all sessions
  int64_t epochs_total = 0;
  int64_t first_epoch = 1;     // the first epoch this call trained (after a resume: the next one)
  bool finished = false;       // every phase's epochs done
  std::vector<EpochReport> history;  // every epoch of the run, this call's and earlier ones
};

// The seed a run's initial super-network weights are drawn with
// (supernet::SuperNetwork(space, initial_weights_seed(options.seed))): what
// a tensor no step reached still holds after training.
uint64_t initial_weights_seed(uint64_t seed);

// Trains the super-network of `space` (which must implement
// nasctl::WeightSharing) in `out_dir` (an existing folder). With `resume`,
// continues the run train_state.pt there describes; it must have the same
// identity (TrainOptions::identity). Throws nasctl::Error (one line) for bad
// options (unknown phase variable, batch larger than the training images,
// a lr <= 0, a space without a super-network face, CUDA without CUDA).
TrainSummary train_supernet(const SearchSpace& space, const TrainData& data, const TrainOptions& options,
                            const std::string& out_dir, bool resume, const TrainCallbacks& callbacks = {});

// The files in a run folder.
inline constexpr const char* kCheckpointFile = "checkpoint.pt";
inline constexpr const char* kStateFile = "train_state.pt";
inline constexpr const char* kMetricsFile = "metrics.csv";

}  // namespace nasctl::train
