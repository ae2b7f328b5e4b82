// Grey images held in memory as the bytes of an idx file, turned into
// normalised float batches when read: the dataset kind behind Fashion-MNIST
// (and any other idx image set).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/datasets/dataset.hpp"

namespace nasctl::datasets {

struct GreyImageData {
  std::int64_t height = 0;
  std::int64_t width = 0;
  std::vector<std::uint8_t> pixels;  // image after image, rows top to bottom
  std::vector<std::int64_t> labels;
  std::vector<std::string> classes;
  // Batches hold (pixel / 255 - mean) / std.
  float mean = 0.0f;
  float std = 1.0f;
};

class GreyImages final : public Dataset {
 public:
  GreyImages(std::shared_ptr<const GreyImageData> data, std::string description);

  std::string description() const override { return description_; }
  std::size_t size() const override { return data_->labels.size(); }
  const std::vector<std::string>& classes() const override { return data_->classes; }
  std::int64_t label(std::size_t index) const override { return data_->labels.at(index); }
  // The images' own size. Square images are also served at other sizes,
  // from kMinResizedSide to kMaxResizeFactor times their own, resized
  // (resize_images: bilinear, antialiased when shrinking), for elastic
  // resolution; beyond that range a network sees blur or too few pixels to
  // be worth training.
  int default_resolution() const override { return static_cast<int>(data_->height); }
  static constexpr int kMinResizedSide = 4;
  static constexpr int kMaxResizeFactor = 4;

 protected:
  ImageShape shape_at(int resolution) const override;
  BatchStream read_checked(const std::vector<std::size_t>& indices, std::size_t batch_size,
                           int resolution) const override;

 private:
  std::shared_ptr<const GreyImageData> data_;
  std::string description_;
};

}  // namespace nasctl::datasets
