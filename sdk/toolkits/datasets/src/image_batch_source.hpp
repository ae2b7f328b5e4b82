// The batches of one image-folder read, decoded and transformed on a pool of
// loader threads a few batches ahead of the consumer. Every image is written
// to its own slot of its batch's tensor, so the content of a batch does not
// depend on the number of threads or on which thread finished first; an
// image that fails is reported when its batch is taken, the first failing
// position of that batch first, so the error is the same for any thread
// count too.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "batch_memory.hpp"
#include "image_folder_index.hpp"
#include "nasctl/datasets/dataset.hpp"

namespace nasctl::datasets {

struct ImageReadPlan {
  std::vector<std::size_t> indices;
  std::size_t batch_size = 1;
  int resolution = 224;
  int threads = 1;
  std::size_t prefetch_batches = 2;
  // Set: OFA's training transform, each image's draws seeded by its seed
  // and its position in `indices`; unset: the evaluation transform.
  std::optional<AugmentOptions> augment;
};

class ImageBatchSource final : public BatchSource {
 public:
  ImageBatchSource(std::shared_ptr<const ImageFolderIndex> index, ImageReadPlan plan);
  // Drops the images not yet started and waits for those being decoded.
  ~ImageBatchSource() override;

  Batch next_batch() override;

 private:
  struct PendingBatch {
    Batch batch;
    int resolution = 0;       // of its images (elastic resolution: per batch)
    float* images = nullptr;  // batch.images' data, taken on the consumer's thread
    std::size_t unfinished = 0;
    std::vector<std::exception_ptr> failures;  // by position in the batch
  };

  // The size batch `batch_index` is read at.
  int resolution_of(std::size_t batch_index) const;
  // Queues the decoding of every image of batch `batch_index`.
  void schedule(std::size_t batch_index);
  // `position`: in the batch; `read_position`: in the whole read.
  void load_image(PendingBatch* pending, std::size_t position, std::size_t read_position, std::size_t item);

  std::shared_ptr<const ImageFolderIndex> index_;
  ImageReadPlan plan_;
  std::size_t batch_count_ = 0;
  std::size_t next_to_schedule_ = 0;
  std::shared_ptr<BatchMemory> memory_;

  std::mutex mutex_;
  std::condition_variable image_done_;
  // Batches scheduled and not yet taken, oldest first; deque keeps each
  // element's address while others are added and removed.
  std::deque<std::unique_ptr<PendingBatch>> window_;
  // Declared last, so it is destroyed first: no thread outlives the state above.
  boost::asio::thread_pool pool_;
};

}  // namespace nasctl::datasets
