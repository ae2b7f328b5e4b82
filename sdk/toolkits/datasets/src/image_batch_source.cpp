#include "image_batch_source.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <utility>

#include "nasctl/datasets/evaluation_transform.hpp"
#include "nasctl/datasets/image_decoder.hpp"
#include "nasctl/datasets/training_transform.hpp"
#include "nasctl/seed_stream.hpp"

namespace nasctl::datasets {

namespace {

// The largest size a batch of the plan is read at: what a memory block holds.
int largest_resolution(const ImageReadPlan& plan) {
  int largest = plan.resolution;
  if (plan.augment)
    for (const int r : plan.augment->batch_resolutions) largest = std::max(largest, r);
  return largest;
}

}  // namespace

ImageBatchSource::ImageBatchSource(std::shared_ptr<const ImageFolderIndex> index, ImageReadPlan plan)
    : index_(std::move(index)),
      plan_(std::move(plan)),
      batch_count_(batch_count(plan_.indices.size(), plan_.batch_size)),
      // Batches being decoded, the one the caller holds and one it is
      // about to drop can each hold a block.
      memory_(std::make_shared<BatchMemory>(
          plan_.batch_size * 3 * static_cast<std::size_t>(largest_resolution(plan_)) *
              static_cast<std::size_t>(largest_resolution(plan_)),
          plan_.prefetch_batches + 3)),
      pool_(static_cast<std::size_t>(std::max(plan_.threads, 1))) {
  // The batch being waited for plus prefetch_batches behind it.
  const std::size_t initial = std::min(batch_count_, plan_.prefetch_batches + 1);
  for (std::size_t b = 0; b < initial; ++b) schedule(b);
}

ImageBatchSource::~ImageBatchSource() {
  pool_.stop();
  pool_.join();
}

int ImageBatchSource::resolution_of(std::size_t batch_index) const {
  if (plan_.augment && !plan_.augment->batch_resolutions.empty()) return plan_.augment->batch_resolutions[batch_index];
  return plan_.resolution;
}

void ImageBatchSource::schedule(std::size_t batch_index) {
  const std::size_t begin = batch_index * plan_.batch_size;
  const std::size_t end = std::min(begin + plan_.batch_size, plan_.indices.size());
  const auto count = static_cast<std::int64_t>(end - begin);
  auto pending = std::make_unique<PendingBatch>();
  pending->resolution = resolution_of(batch_index);
  pending->batch.images = memory_->tensor({count, 3, pending->resolution, pending->resolution});
  pending->batch.labels = at::empty({count}, at::kLong);
  pending->images = pending->batch.images.data_ptr<float>();
  std::int64_t* labels = pending->batch.labels.data_ptr<std::int64_t>();
  for (std::size_t i = begin; i < end; ++i) *labels++ = index_->labels[plan_.indices[i]];
  pending->unfinished = end - begin;
  pending->failures.resize(end - begin);

  PendingBatch* slots = pending.get();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    window_.push_back(std::move(pending));
  }
  for (std::size_t i = begin; i < end; ++i) {
    boost::asio::post(pool_, [this, slots, position = i - begin, i, item = plan_.indices[i]] {
      load_image(slots, position, i, item);
    });
  }
  next_to_schedule_ = batch_index + 1;
}

void ImageBatchSource::load_image(PendingBatch* pending, std::size_t position, std::size_t read_position,
                                  std::size_t item) {
  std::exception_ptr failure;
  try {
    // Loader threads write their own image's floats and never touch the
    // tensor object itself.
    const int resolution = pending->resolution;
    const std::size_t floats_per_image = 3 * static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution);
    float* out = pending->images + position * floats_per_image;
    // Per-thread buffers, reused from image to image (see decode_image_file).
    thread_local RgbImage image;
    thread_local std::vector<std::uint8_t> file_bytes;
    decode_image_file(index_->files[item], image, file_bytes);
    if (plan_.augment) {
      Rng rng(stream_seed(plan_.augment->seed, read_position));
      apply_training_transform(image, resolution, rng, out, plan_.augment->color_jitter);
    } else {
      apply_evaluation_transform(image, resolution, out);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  pending->failures[position] = failure;
  if (--pending->unfinished == 0) image_done_.notify_all();
}

Batch ImageBatchSource::next_batch() {
  std::unique_ptr<PendingBatch> done;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    image_done_.wait(lock, [this] { return window_.front()->unfinished == 0; });
    done = std::move(window_.front());
    window_.pop_front();
  }
  if (next_to_schedule_ < batch_count_) schedule(next_to_schedule_);
  for (const std::exception_ptr& failure : done->failures) {
    if (failure) std::rethrow_exception(failure);
  }
  return std::move(done->batch);
}

}  // namespace nasctl::datasets
