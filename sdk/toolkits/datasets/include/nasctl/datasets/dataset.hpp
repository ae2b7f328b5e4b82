// The one face every dataset of nasctl shows, whatever is behind it (idx
// files held in memory, an image folder decoded on loader threads): its
// size, its classes, the shape of one input at a resolution, the label of an
// item, and batches of (images, labels) as LibTorch tensors in exactly the
// order asked for.
//
// Only <ATen/core/Tensor.h> is included (the tensor type, none of the
// operators), so a user of this header does not pay for <ATen/ATen.h>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "nasctl/datasets/augmentation.hpp"

namespace nasctl::datasets {

// One input without the batch dimension.
struct ImageShape {
  std::int64_t channels = 0;
  std::int64_t height = 0;
  std::int64_t width = 0;

  friend bool operator==(const ImageShape& a, const ImageShape& b) {
    return a.channels == b.channels && a.height == b.height && a.width == b.width;
  }
};

// images: float32 [n, C, H, W], contiguous, normalised as the dataset
// documents; labels: int64 [n], class indices into Dataset::classes().
struct Batch {
  at::Tensor images;
  at::Tensor labels;
};

// What a dataset kind implements to deliver one read: next_batch() is called
// once per batch, batch 0 first, and never more often than the read has
// batches (BatchStream counts).
class BatchSource {
 public:
  virtual ~BatchSource();
  virtual Batch next_batch() = 0;
};

// The batches of one read, in order:
//   auto stream = dataset.read(indices, 200, 224);
//   while (auto batch = stream.next()) { ... batch->images ... }
// A stream may outlive the dataset it came from.
class BatchStream {
 public:
  BatchStream(std::unique_ptr<BatchSource> source, std::size_t batch_count);
  BatchStream(BatchStream&&) noexcept;
  BatchStream& operator=(BatchStream&&) noexcept;
  ~BatchStream();

  // The next batch, or nothing once all batch_count() have been taken. An
  // item that cannot be loaded (a corrupt image) throws nasctl::DataError
  // naming its file when its batch is taken.
  std::optional<Batch> next();
  std::size_t batch_count() const { return batch_count_; }

 private:
  std::unique_ptr<BatchSource> source_;
  std::size_t batch_count_ = 0;
  std::size_t taken_ = 0;
};

// A dataset does not change once opened: several threads may read from one
// at the same time, each through its own BatchStream (a stream belongs to
// the thread that takes its batches).
class Dataset {
 public:
  virtual ~Dataset();

  // What and where, for logs and run.json (e.g. "Fashion-MNIST validation
  // (10000 of the 60000 training images, seed 0) in /usr/share/datasets/fashion-mnist").
  virtual std::string description() const = 0;
  virtual std::size_t size() const = 0;
  // Class names; a label is an index into this list.
  virtual const std::vector<std::string>& classes() const = 0;
  virtual std::int64_t label(std::size_t index) const = 0;
  // The resolution to read at when the caller has none of its own.
  virtual int default_resolution() const = 0;

  // Shape of one input read at `resolution`. A resolution the dataset cannot
  // serve (below 1; other than 28 for Fashion-MNIST) is a one-line
  // nasctl::DataError.
  ImageShape input_shape(int resolution) const;

  // Batches of the items at `indices`, in that order, `batch_size` items per
  // batch (the last one may hold fewer). The content does not depend on how
  // many loader threads decode it. Checks the resolution as input_shape()
  // does and throws std::out_of_range for an index >= size().
  BatchStream read(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution) const;
  // Every item in order, at default_resolution().
  BatchStream read_all(std::size_t batch_size) const;

  // A training read: as read(), with the dataset's own training
  // augmentation applied as items are loaded, when it has one
  // (augments_when_read(): image folders, Once-for-All's training
  // transform). Each item's random draws come from `seed` and its position
  // in `indices` alone, so a read is the same whatever the loader threads.
  // A dataset without one returns read()'s batches: its caller augments
  // the tensors itself (Fashion-MNIST's crop and flip in nasctl::train).
  // `augment` also says what else the augmentation does (the colour jitter)
  // and, for elastic resolution, each batch's size (AugmentOptions::
  // batch_resolutions, checked as `resolution` is; a dataset that serves
  // one resolution only refuses others). A dataset that does not augment
  // when read reads every batch at `resolution`.
  BatchStream read_augmented(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                             const AugmentOptions& augment) const;
  // As above with only a seed (no colour jitter).
  BatchStream read_augmented(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                             std::uint64_t seed) const;
  virtual bool augments_when_read() const { return false; }

 protected:
  // Called with a resolution >= 1; throws DataError when it cannot be served.
  virtual ImageShape shape_at(int resolution) const = 0;
  // Called with valid indices, batch_size >= 1 and a servable resolution.
  virtual BatchStream read_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                   int resolution) const = 0;
  // As read_checked, augmented; the default does not augment.
  virtual BatchStream read_augmented_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                             int resolution, const AugmentOptions& augment) const;
};

// 0, 1, ..., dataset.size() - 1.
std::vector<std::size_t> all_indices(const Dataset& dataset);

// How many batches of `batch_size` hold `items` items (the last may be short).
std::size_t batch_count(std::size_t items, std::size_t batch_size);

}  // namespace nasctl::datasets
