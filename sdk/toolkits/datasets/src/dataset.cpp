// The checks every dataset shares (resolution, indices, batch size) live
// here once; dataset kinds implement only what differs (shape_at,
// read_checked).
#include "nasctl/datasets/dataset.hpp"

#include <numeric>
#include <stdexcept>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::datasets {

BatchSource::~BatchSource() = default;

BatchStream::BatchStream(std::unique_ptr<BatchSource> source, std::size_t batch_count)
    : source_(std::move(source)), batch_count_(batch_count) {}
BatchStream::BatchStream(BatchStream&&) noexcept = default;
BatchStream& BatchStream::operator=(BatchStream&&) noexcept = default;
BatchStream::~BatchStream() = default;

std::optional<Batch> BatchStream::next() {
  if (taken_ == batch_count_) return std::nullopt;
  // Counted before the source runs: a batch that throws (a corrupt image)
  // is taken all the same, and the next call moves on to the one after.
  ++taken_;
  return source_->next_batch();
}

Dataset::~Dataset() = default;

ImageShape Dataset::input_shape(int resolution) const {
  if (resolution < 1) {
    throw DataError(description() + ": resolution " + std::to_string(resolution) +
                    " cannot be served; fix: use a resolution of at least 1 (this dataset's default is " +
                    std::to_string(default_resolution()) + ")");
  }
  return shape_at(resolution);
}

namespace {

void check_read(const Dataset& dataset, const std::vector<std::size_t>& indices, std::size_t batch_size,
                int resolution) {
  dataset.input_shape(resolution);  // throws the user-facing error for a resolution it cannot serve
  if (batch_size == 0) {
    throw DataError(dataset.description() + ": batch size 0; fix: read at least one item per batch");
  }
  const std::size_t items = dataset.size();
  for (std::size_t index : indices) {
    if (index >= items) {
      throw std::out_of_range(dataset.description() + ": item " + std::to_string(index) +
                              " asked for, the dataset has " + std::to_string(items));
    }
  }
}

}  // namespace

BatchStream Dataset::read(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution) const {
  check_read(*this, indices, batch_size, resolution);
  return read_checked(indices, batch_size, resolution);
}

BatchStream Dataset::read_augmented(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                                    const AugmentOptions& augment) const {
  check_read(*this, indices, batch_size, resolution);
  if (!augment.batch_resolutions.empty()) {
    const std::size_t batches = batch_count(indices.size(), batch_size);
    if (augment.batch_resolutions.size() != batches)
      throw std::invalid_argument(description() + ": " + std::to_string(augment.batch_resolutions.size()) +
                                  " batch resolutions for a read of " + std::to_string(batches) + " batches");
    for (const int r : augment.batch_resolutions) input_shape(r);  // the user-facing error for a size it cannot serve
  }
  return read_augmented_checked(indices, batch_size, resolution, augment);
}

BatchStream Dataset::read_augmented(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                                    std::uint64_t seed) const {
  AugmentOptions augment;
  augment.seed = seed;
  return read_augmented(indices, batch_size, resolution, augment);
}

BatchStream Dataset::read_augmented_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                            int resolution, const AugmentOptions&) const {
  return read_checked(indices, batch_size, resolution);
}

BatchStream Dataset::read_all(std::size_t batch_size) const {
  return read(all_indices(*this), batch_size, default_resolution());
}

std::vector<std::size_t> all_indices(const Dataset& dataset) {
  std::vector<std::size_t> indices(dataset.size());
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  return indices;
}

std::size_t batch_count(std::size_t items, std::size_t batch_size) {
  return batch_size == 0 ? 0 : (items + batch_size - 1) / batch_size;
}

}  // namespace nasctl::datasets
