// What a super-network training run is: the sampling rule, the phases of
// progressive shrinking, the optimiser and its schedule, the augmentation,
// how each epoch is validated, and where it runs. Plain data, no LibTorch:
// `nasctl train` fills it from the config's [train] table (core_keys.cpp
// declares the keys, docs/train.md explains them).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nasctl/datasets/augmentation.hpp"

namespace nasctl::train {

// How the sub-networks of one step are chosen (docs/train.md, "Sampling").
enum class Sampler {
  Spos,      // one sub-network drawn uniformly (single-path one-shot; HURRICANE's base)
  Sandwich,  // the largest, the smallest and `random_per_step` random ones (BigNAS, OFA)
};

enum class OptimiserKind { Sgd, AdamW };

// One phase of progressive shrinking: which decision variables are elastic
// (drawn from their allowed choices) for how many epochs; every other
// variable is held at its largest choice. An entry names a variable ("ks3"),
// or a family of them ("ks": ks0, ks1, ...), optionally with ":N" to allow
// only its N largest choices ("d:2": depths 3 and 4 of {2, 3, 4}).
struct Phase {
  std::vector<std::string> elastic;
  int64_t epochs = 1;
  double lr = 0.0;             // peak learning rate of the phase's schedule
  double warmup_epochs = 0.0;  // linear warm-up from 0 to lr, then cosine to 0
  // Before the phase's first step, put the super-network's channel groups
  // (WeightSharing::channel_groups()) in order of importance, keeping the
  // widths earlier phases trained (Once-for-All sorts before each
  // elastic-width phase). The space must declare channel groups.
  bool sort_channels = false;
};

struct TrainOptions {
  Sampler sampler = Sampler::Spos;
  int64_t random_per_step = 2;   // sandwich: random sub-networks besides the largest and the smallest
  bool distillation = true;      // sandwich: the others learn the largest's soft outputs
  std::vector<Phase> phases;     // at least one
  // Non-empty: train this one sub-network alone (an architecture string of
  // the space), every step and every phase, as a stand-alone network would
  // be trained; the reference side of a ranking-fidelity comparison and the
  // way to retrain a picked network from scratch. Needs the spos sampler.
  std::string subnetwork;
  // Non-empty: an architecture string of the space; the variables a phase
  // does not name are held at its choices instead of their largest: a
  // sub-space, such as a HURRICANE stage (the searched layers elastic, the
  // others as the stage fixes them). The networks validated after each
  // epoch are then the last phase's largest and smallest.
  std::string held_at;
  // Non-empty: a checkpoint of the space's super-network the run starts
  // from (fine-tuning) instead of seeded initial weights; a resume reads
  // train_state.pt instead.
  std::string initial_checkpoint;

  int64_t batch_size = 64;
  OptimiserKind optimiser = OptimiserKind::Sgd;
  double momentum = 0.9;         // SGD
  bool nesterov = true;          // SGD
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // AdamW
  double weight_decay = 3e-5;    // convolution and linear weights only (not batch norms, not biases)
  double label_smoothing = 0.1;

  int64_t crop_padding = 2;      // random crop of the padded image (0: none)
  bool flip = true;              // random horizontal flip
  // Image folders: Once-for-All's colour jitter after the random resized
  // crop and flip (datasets/augmentation.hpp); Fashion-MNIST has none.
  datasets::ColorJitter color_jitter = datasets::ColorJitter::None;

  // Each epoch ends with top-1 of the largest and the smallest sub-network
  // on the validation images, after re-calibrating their batch norms on a
  // fixed subset of training images (as the `supernet` accuracy source).
  int64_t validation_images = 0;     // a seeded subset of the validation split; 0: all of it
  int64_t calibration_images = 2000;
  int64_t calibration_batch = 200;

  uint64_t seed = 0;             // weights, epoch order, sub-networks, augmentation
  std::string device = "cpu";    // "cpu" or "cuda"
  int64_t threads = 1;           // LibTorch intra-op threads (0: leave LibTorch's default)
  bool bf16 = false;             // CUDA: forward passes under bfloat16 autocast
  bool channels_last = false;    // images and the shared 4-d weights in channels-last memory order

  // Stop after this many epochs in this call (0: run to the end), as if
  // interrupted after an epoch; a later resume continues.
  int64_t stop_after_epochs = 0;

  // What makes a run the run it is (the config's keys, rendered), stored in
  // the training state; a resume whose identity differs is refused naming
  // the first key that differs.
  std::map<std::string, std::string> identity;
};

}  // namespace nasctl::train
