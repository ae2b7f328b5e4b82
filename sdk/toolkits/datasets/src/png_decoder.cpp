// PNG through libpng's simplified API (png_image), which reports errors in
// a message instead of libpng's setjmp/longjmp.
#include <png.h>

#include <cstring>

#include "format_decoders.hpp"

namespace nasctl::datasets::decoding {
namespace {

class PngReader {
 public:
  PngReader() {
    std::memset(&image_, 0, sizeof image_);
    image_.version = PNG_IMAGE_VERSION;
  }
  ~PngReader() { png_image_free(&image_); }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;
  png_image& get() { return image_; }

 private:
  png_image image_;
};

}  // namespace

void decode_png(const std::vector<std::uint8_t>& bytes, const std::string& name, RgbImage& image) {
  PngReader reader;
  png_image& png = reader.get();
  if (png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()) == 0) {
    fail(name, std::string("corrupt PNG (") + png.message + ")");
  }
  check_size(name, png.width, png.height);
  // RGBA, then the alpha dropped: PIL's convert("RGB") drops alpha, while
  // asking libpng for RGB would blend the pixels onto a background.
  png.format = PNG_FORMAT_RGBA;
  std::vector<std::uint8_t> rgba(PNG_IMAGE_SIZE(png));
  if (png_image_finish_read(&png, nullptr, rgba.data(), 0, nullptr) == 0) {
    fail(name, std::string("corrupt or truncated PNG (") + png.message + ")");
  }
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  const std::size_t pixels = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
  image.pixels.resize(pixels * 3);
  for (std::size_t i = 0; i < pixels; ++i) std::memcpy(&image.pixels[i * 3], &rgba[i * 4], 3);
}

}  // namespace nasctl::datasets::decoding
