// Reads the file, tells the format by its first bytes, hands over to the
// format's decoder (jpeg_decoder.cpp, png_decoder.cpp).
#include "nasctl/datasets/image_decoder.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>

#include "format_decoders.hpp"
#include "nasctl/error.hpp"

namespace nasctl::datasets {
namespace decoding {

void fail(const std::string& name, const std::string& what, const std::string& fix) {
  throw DataError(name + ": " + what + "; fix: " + fix);
}

void check_size(const std::string& name, std::int64_t width, std::int64_t height) {
  if (width < 1 || height < 1) {
    fail(name, "image header gives a size of " + std::to_string(width) + "x" + std::to_string(height));
  }
  if (width * height > kMaxImagePixels) {
    fail(name,
         std::to_string(width) + "x" + std::to_string(height) + " pixels, more than the " +
             std::to_string(kMaxImagePixels) + " nasctl (like PIL) decodes",
         "scale the image down or remove it from the folder");
  }
}

}  // namespace decoding

namespace {

bool starts_with(const std::vector<std::uint8_t>& bytes, std::initializer_list<std::uint8_t> signature) {
  return bytes.size() >= signature.size() && std::equal(signature.begin(), signature.end(), bytes.begin());
}

std::string first_bytes(const std::vector<std::uint8_t>& bytes) {
  std::string text;
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 4); ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%s%02x", i == 0 ? "" : " ", bytes[i]);
    text += hex;
  }
  return text;
}

}  // namespace

void decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name, RgbImage& image) {
  if (starts_with(bytes, {0xff, 0xd8, 0xff})) {
    decoding::decode_jpeg(bytes, name, image);
    return;
  }
  if (starts_with(bytes, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
    decoding::decode_png(bytes, name, image);
    return;
  }
  if (bytes.empty()) decoding::fail(name, "empty file, not an image");
  decoding::fail(name, "neither a JPEG nor a PNG image (it starts with bytes " + first_bytes(bytes) + ")",
                 "convert it to JPEG or PNG, or remove it from the folder");
}

void decode_image_file(const std::filesystem::path& path, RgbImage& image, std::vector<std::uint8_t>& file_bytes) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    decoding::fail(name, std::string("cannot be opened (") + std::strerror(errno) + ")",
                   "check that the file exists and is readable");
  }
  const std::streamoff size = in.tellg();
  in.seekg(0);
  file_bytes.resize(size > 0 ? static_cast<std::size_t>(size) : 0);
  if (size < 0 || !in.read(reinterpret_cast<char*>(file_bytes.data()), size)) {
    decoding::fail(name, std::string("cannot be read (") + std::strerror(errno) + ")",
                   "check the disk and the file's permissions");
  }
  decode_image(file_bytes, name, image);
}

RgbImage decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  RgbImage image;
  decode_image(bytes, name, image);
  return image;
}

RgbImage decode_image_file(const std::filesystem::path& path) {
  RgbImage image;
  std::vector<std::uint8_t> file_bytes;
  decode_image_file(path, image, file_bytes);
  return image;
}

}  // namespace nasctl::datasets
