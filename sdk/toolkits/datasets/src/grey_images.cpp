#include "grey_images.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "nasctl/datasets/resize.hpp"
#include "nasctl/error.hpp"

namespace nasctl::datasets {
namespace {

// Normalised value of every byte, computed once per read with the float32
// operations torchvision's ToTensor and Normalize apply (x / 255, then
// (x - mean) / std), so a batch is a table lookup per pixel.
std::array<float, 256> normalised_values(float mean, float std) {
  std::array<float, 256> values{};
  for (int v = 0; v < 256; ++v) values[static_cast<std::size_t>(v)] = (static_cast<float>(v) / 255.0f - mean) / std;
  return values;
}

class GreyBatchSource final : public BatchSource {
 public:
  GreyBatchSource(std::shared_ptr<const GreyImageData> data, std::vector<std::size_t> indices, std::size_t batch_size,
                  int resolution)
      : data_(std::move(data)),
        indices_(std::move(indices)),
        batch_size_(batch_size),
        resolution_(resolution),
        values_(normalised_values(data_->mean, data_->std)) {}

  Batch next_batch() override {
    const std::size_t begin = next_ * batch_size_;
    const std::size_t end = std::min(begin + batch_size_, indices_.size());
    ++next_;
    const auto count = static_cast<std::int64_t>(end - begin);
    const std::int64_t pixels_per_image = data_->height * data_->width;
    Batch batch;
    batch.images = at::empty({count, 1, data_->height, data_->width}, at::kFloat);
    batch.labels = at::empty({count}, at::kLong);
    float* out = batch.images.data_ptr<float>();
    std::int64_t* labels = batch.labels.data_ptr<std::int64_t>();
    for (std::size_t i = begin; i < end; ++i) {
      const std::uint8_t* image = data_->pixels.data() + indices_[i] * static_cast<std::size_t>(pixels_per_image);
      for (std::int64_t p = 0; p < pixels_per_image; ++p) *out++ = values_[image[p]];
      *labels++ = data_->labels[indices_[i]];
    }
    batch.images = resize_images(batch.images, resolution_);
    return batch;
  }

 private:
  std::shared_ptr<const GreyImageData> data_;
  std::vector<std::size_t> indices_;
  std::size_t batch_size_;
  int resolution_;
  std::size_t next_ = 0;
  std::array<float, 256> values_;
};

}  // namespace

GreyImages::GreyImages(std::shared_ptr<const GreyImageData> data, std::string description)
    : data_(std::move(data)), description_(std::move(description)) {}

ImageShape GreyImages::shape_at(int resolution) const {
  const std::int64_t side = data_->height;
  if (data_->width != side) {
    throw DataError(description_ + ": resolution " + std::to_string(resolution) + " cannot be served, its images are " +
                    std::to_string(data_->height) + "x" + std::to_string(data_->width) +
                    " and only square images are served; fix: use a dataset of square images");
  }
  if (resolution < kMinResizedSide || resolution > kMaxResizeFactor * side) {
    throw DataError(description_ + ": resolution " + std::to_string(resolution) + " cannot be served, its " +
                    std::to_string(side) + "x" + std::to_string(side) + " images are resized to " +
                    std::to_string(kMinResizedSide) + " to " + std::to_string(kMaxResizeFactor * side) +
                    " pixels; fix: use a resolution in that range (" + std::to_string(side) + " serves them as they are)");
  }
  return {1, resolution, resolution};
}

BatchStream GreyImages::read_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                     int resolution) const {
  const std::size_t batches = batch_count(indices.size(), batch_size);
  return BatchStream(std::make_unique<GreyBatchSource>(data_, indices, batch_size, resolution), batches);
}

}  // namespace nasctl::datasets
