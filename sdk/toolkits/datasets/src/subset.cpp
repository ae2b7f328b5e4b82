#include "nasctl/datasets/subset.hpp"

#include <algorithm>
#include <climits>
#include <numeric>
#include <string>
#include <utility>

#include "nasctl/datasets/dataset_view.hpp"
#include "nasctl/error.hpp"
#include "nasctl/rng.hpp"

namespace nasctl::datasets {

std::vector<std::size_t> seeded_draw(std::size_t population, std::size_t count, std::uint64_t seed) {
  if (count > population) {
    throw DataError("a subset of " + std::to_string(count) + " items was asked of " + std::to_string(population) +
                    "; fix: ask for at most " + std::to_string(population));
  }
  if (population > static_cast<std::size_t>(INT_MAX)) {
    throw DataError("a population of " + std::to_string(population) + " items is more than nasctl draws from (" +
                    std::to_string(INT_MAX) + "); fix: split the dataset");
  }
  // Partial Fisher-Yates: position i takes a uniformly drawn item of those
  // not yet taken. nasctl::uniform_index, not std::uniform_int_distribution,
  // whose output differs between standard libraries.
  std::vector<std::size_t> items(population);
  std::iota(items.begin(), items.end(), std::size_t{0});
  Rng rng(seed);
  for (std::size_t i = 0; i < count; ++i) {
    const auto remaining = static_cast<int>(population - i);
    std::swap(items[i], items[i + static_cast<std::size_t>(uniform_index(rng, remaining))]);
  }
  items.resize(count);
  return items;
}

Split carve(std::size_t population, std::size_t carved_count, std::uint64_t seed) {
  Split split;
  split.carved = seeded_draw(population, carved_count, seed);
  std::sort(split.carved.begin(), split.carved.end());
  split.kept.reserve(population - carved_count);
  auto next_carved = split.carved.begin();
  for (std::size_t item = 0; item < population; ++item) {
    if (next_carved != split.carved.end() && *next_carved == item) {
      ++next_carved;
      continue;
    }
    split.kept.push_back(item);
  }
  return split;
}

std::shared_ptr<const Dataset> seeded_subset(std::shared_ptr<const Dataset> dataset, std::size_t count,
                                             std::uint64_t seed) {
  std::vector<std::size_t> items;
  try {
    items = seeded_draw(dataset->size(), count, seed);
  } catch (const DataError& e) {
    throw DataError(dataset->description() + ": " + e.what());
  }
  std::string description = std::to_string(count) + " items drawn with seed " + std::to_string(seed) + " from " +
                            dataset->description();
  return std::make_shared<DatasetView>(std::move(dataset), std::move(items), std::move(description));
}

TrainValidation split_train_validation(std::shared_ptr<const Dataset> dataset, std::size_t validation_count,
                                       std::uint64_t seed) {
  const std::size_t size = dataset->size();
  if (validation_count == 0 || validation_count >= size)
    throw DataError("a split of " + std::to_string(validation_count) + " validation images leaves " +
                    (validation_count == 0 ? "no validation image" : "no training image") + " of the " +
                    std::to_string(size) + " images of " + dataset->description() + "; fix: give 1 to " +
                    std::to_string(size - 1));
  Split carved = carve(size, validation_count, seed);
  const std::string what = " of " + dataset->description() + ", seed " + std::to_string(seed);
  TrainValidation parts;
  parts.validation = std::make_shared<DatasetView>(
      dataset, std::move(carved.carved), "validation split (" + std::to_string(validation_count) + " images" + what + ")");
  parts.train = std::make_shared<DatasetView>(
      dataset, std::move(carved.kept), "training part (" + std::to_string(size - validation_count) + " images" + what + ")");
  return parts;
}

}  // namespace nasctl::datasets
