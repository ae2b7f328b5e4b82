// A folder in the ImageNet layout, read as torchvision's ImageFolder reads
// it: one sub-folder per class, classes sorted by folder name (byte order),
// label = position in that order; a class's images are found in its folder
// and every folder below it (symbolic links followed), ordered by folder
// path, then file name. Files ending in .jpg, .jpeg or .png (any case) are
// images; other files are ignored, except the other image types
// torchvision would include (.bmp .ppm .pgm .tif .tiff .webp), which are an
// error rather than a silent difference in item numbering.
//
// Reads decode on loader threads (image_decoder.hpp) and apply OFA's
// evaluation transform at the resolution asked for
// (evaluation_transform.hpp), training reads (read_augmented) OFA's
// training transform (training_transform.hpp): images are float32
// [n, 3, r, r].
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nasctl/datasets/dataset.hpp"

namespace nasctl::datasets {

struct ImageFolderOptions {
  std::filesystem::path root;
  // Decoding threads per read; 0 = one per hardware thread.
  int threads = 0;
  // Batches decoded ahead of the one being consumed. Each batch holds
  // batch_size x 3 x r x r floats (120 MB for 200 images at 224).
  std::size_t prefetch_batches = 2;
  // Resolution of read_all() and of callers without one (OFA's 224).
  int default_resolution = 224;
};

// The files and labels found under the root (src/image_folder_index.hpp),
// shared by the folder and the batch streams it hands out, since a stream
// may outlive the dataset.
struct ImageFolderIndex;

class ImageFolder final : public Dataset {
 public:
  // Scans the folder. A missing root, a root without class folders and a
  // class folder without images are one-line nasctl::DataErrors.
  explicit ImageFolder(const ImageFolderOptions& options);

  std::string description() const override;
  std::size_t size() const override;
  const std::vector<std::string>& classes() const override;
  std::int64_t label(std::size_t index) const override;
  int default_resolution() const override { return options_.default_resolution; }
  bool augments_when_read() const override { return true; }

  const std::filesystem::path& file(std::size_t index) const;
  // The decoding threads a read uses (options.threads, or the hardware's).
  int threads() const { return threads_; }

 protected:
  ImageShape shape_at(int resolution) const override;
  BatchStream read_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                           int resolution) const override;
  BatchStream read_augmented_checked(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                                     const AugmentOptions& augment) const override;

 private:
  BatchStream read_planned(const std::vector<std::size_t>& indices, std::size_t batch_size, int resolution,
                           std::optional<AugmentOptions> augment) const;

  ImageFolderOptions options_;
  int threads_ = 1;
  std::shared_ptr<const ImageFolderIndex> index_;
};

std::shared_ptr<const ImageFolder> open_image_folder(const ImageFolderOptions& options);

}  // namespace nasctl::datasets
