// The images a super-network's sub-networks are measured on: a fixed,
// seeded subset of training images for batch-norm re-calibration, and the
// validation images top-1, top-5 and loss are computed on. Built once from
// the plugin's keys (dataset, calibration_folder, validation_split,
// split_seed, calibration_images, validation_images, seed, loader_threads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "nasctl/config.hpp"
#include "nasctl/datasets/dataset.hpp"
#include "nasctl/metrics.hpp"

namespace nasctl::accuracy::supernet {

struct EvaluationData {
  // In draw order: the same images, in the same batches, for every
  // architecture.
  std::shared_ptr<const datasets::Dataset> calibration;
  std::shared_ptr<const datasets::Dataset> validation;
  // The training part of `dataset` (what is left after the validation
  // split), for training a sub-space's super-network; null when all of the
  // dataset is validation images.
  std::shared_ptr<const datasets::Dataset> train;
  // What and where, for run.json: dataset, validation, calibration and their
  // sizes.
  Conditions conditions;
};

// The value of `dataset` that names Debian's Fashion-MNIST.
inline constexpr const char* kFashionMnist = "fashion-mnist";

// Opens the datasets the keys name. Every bad input (a missing, empty or
// non-image folder, a split larger than the images, more calibration
// images than the training part holds) is a one-line ConfigError naming the
// key (PluginConfig::fail).
EvaluationData open_evaluation_data(const PluginConfig& config);

}  // namespace nasctl::accuracy::supernet
