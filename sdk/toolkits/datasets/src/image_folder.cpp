#include "nasctl/datasets/image_folder.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include "image_batch_source.hpp"
#include "image_folder_index.hpp"
#include "nasctl/error.hpp"

namespace nasctl::datasets {

namespace {

// Checked before the folder is scanned, which can take long on ImageNet.
int loader_threads(const ImageFolderOptions& options) {
  if (options.threads < 0) {
    throw DataError(options.root.string() + ": " + std::to_string(options.threads) +
                    " loader threads; fix: use 1 or more, or 0 for one per hardware thread");
  }
  if (options.threads > 0) return options.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

ImageFolder::ImageFolder(const ImageFolderOptions& options)
    : options_(options),
      threads_(loader_threads(options)),
      index_(std::make_shared<const ImageFolderIndex>(scan_image_folder(options.root))) {
  input_shape(options_.default_resolution);  // a default it cannot serve is the caller's error, said now
}

std::string ImageFolder::description() const {
  return "image folder " + options_.root.string() + " (" + std::to_string(size()) + " images, " +
         std::to_string(classes().size()) + " classes)";
}

std::size_t ImageFolder::size() const { return index_->files.size(); }
const std::vector<std::string>& ImageFolder::classes() const { return index_->classes; }
std::int64_t ImageFolder::label(std::size_t index) const { return index_->labels.at(index); }
const std::filesystem::path& ImageFolder::file(std::size_t index) const { return index_->files.at(index); }

ImageShape ImageFolder::shape_at(int resolution) const { return {3, resolution, resolution}; }

BatchStream ImageFolder::read_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                      int resolution) const {
  return read_planned(indices, batch_size, resolution, std::nullopt);
}

BatchStream ImageFolder::read_augmented_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                                                int resolution, const AugmentOptions& augment) const {
  return read_planned(indices, batch_size, resolution, augment);
}

BatchStream ImageFolder::read_planned(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                                      std::optional<AugmentOptions> augment) const {
  ImageReadPlan plan;
  plan.augment = augment;
  plan.indices = indices;
  plan.batch_size = batch_size;
  plan.resolution = resolution;
  plan.threads = threads_;
  plan.prefetch_batches = options_.prefetch_batches;
  const std::size_t batches = batch_count(indices.size(), batch_size);
  return BatchStream(std::make_unique<ImageBatchSource>(index_, std::move(plan)), batches);
}

std::shared_ptr<const ImageFolder> open_image_folder(const ImageFolderOptions& options) {
  return std::make_shared<const ImageFolder>(options);
}

}  // namespace nasctl::datasets
