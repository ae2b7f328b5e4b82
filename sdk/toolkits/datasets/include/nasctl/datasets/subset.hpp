// Seeded, deterministic choices of items: a validation split carved from a
// training set, and a fixed subset (e.g. the images OFA-style batch-norm
// re-calibration forwards). The same seed gives the same items on every
// platform and standard library (nasctl::Rng and its portable helpers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "nasctl/datasets/dataset.hpp"

namespace nasctl::datasets {

// `count` distinct indices of [0, population), in the order they are drawn
// (a seeded partial Fisher-Yates shuffle). count > population is a
// nasctl::DataError.
std::vector<std::size_t> seeded_draw(std::size_t population, std::size_t count, std::uint64_t seed);

// A population split in two: `carved` holds `carved_count` items drawn with
// `seed`, `kept` the others; both ascending, so a split says which items,
// not in which order they are read.
struct Split {
  std::vector<std::size_t> kept;
  std::vector<std::size_t> carved;
};
Split carve(std::size_t population, std::size_t carved_count, std::uint64_t seed);

// An image folder (or any dataset) split as the supernet source and
// nasctl train split one: `validation_count` items drawn with `seed` as the
// validation split, the others as the training part, each a DatasetView
// whose description says so. A validation_count of 0 or not below the
// dataset's size is a nasctl::DataError (the caller names its key).
struct TrainValidation {
  std::shared_ptr<const Dataset> train;
  std::shared_ptr<const Dataset> validation;
};
TrainValidation split_train_validation(std::shared_ptr<const Dataset> dataset, std::size_t validation_count,
                                       std::uint64_t seed);

// `count` items of `dataset` drawn with `seed`, in draw order, as a dataset
// of their own: the fixed subset for batch-norm re-calibration is
//   seeded_subset(train, 2000, seed)
// read in batches of 200.
std::shared_ptr<const Dataset> seeded_subset(std::shared_ptr<const Dataset> dataset, std::size_t count,
                                             std::uint64_t seed);

}  // namespace nasctl::datasets
