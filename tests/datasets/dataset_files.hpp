// What the datasets suite writes for itself: a scratch folder, PNG and JPEG
// files (through the same libpng and libjpeg that nasctl decodes with),
// idx files gzip-compressed with zlib, and the errors of calls expected to fail.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "nasctl/datasets/rgb_image.hpp"

namespace nasctl::datasets::test {

// A fresh folder under the temporary directory, removed with everything in it.
class ScratchFolder {
 public:
  explicit ScratchFolder(const std::string& label);
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& relative) const { return path_ / relative; }

 private:
  std::filesystem::path path_;
};

// An image whose pixel (x, y) is colour(x, y).
RgbImage make_image(int width, int height, const std::function<std::array<std::uint8_t, 3>(int, int)>& colour);
// An image that tells images apart after the transform: a smooth pattern shifted by `seed`.
RgbImage patterned_image(int width, int height, int seed);

void write_png(const std::filesystem::path& path, const RgbImage& image);
void write_grey_png(const std::filesystem::path& path, int width, int height, const std::vector<std::uint8_t>& grey);
std::vector<std::uint8_t> encode_jpeg(const RgbImage& image, int quality);
void write_grey_jpeg(const std::filesystem::path& path, int width, int height, const std::vector<std::uint8_t>& grey);
void write_jpeg(const std::filesystem::path& path, const RgbImage& image, int quality = 90);
void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

// An unsigned-byte idx file: magic 0x0000080<dims.size()>, the sizes, then `data`.
std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data);
void write_gzip(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

// The message of the nasctl::Error `call` throws, or "(no error)".
std::string error_of(const std::function<void()>& call);

}  // namespace nasctl::datasets::test
