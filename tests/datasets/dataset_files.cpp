#include "dataset_files.hpp"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include <array>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

#include "nasctl/error.hpp"

namespace nasctl::datasets::test {
namespace fs = std::filesystem;

ScratchFolder::ScratchFolder(const std::string& label) {
  std::random_device random;
  path_ = fs::temp_directory_path() / ("nasctl-test-" + label + "-" + std::to_string(random()) + std::to_string(random()));
  fs::create_directories(path_);
}

ScratchFolder::~ScratchFolder() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

RgbImage make_image(int width, int height, const std::function<std::array<std::uint8_t, 3>(int, int)>& colour) {
  RgbImage image;
  image.width = width;
  image.height = height;
  image.pixels.reserve(static_cast<std::size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const auto rgb = colour(x, y);
      image.pixels.insert(image.pixels.end(), rgb.begin(), rgb.end());
    }
  }
  return image;
}

RgbImage patterned_image(int width, int height, int seed) {
  return make_image(width, height, [seed](int x, int y) {
    return std::array<std::uint8_t, 3>{static_cast<std::uint8_t>((x * 3 + seed * 37) % 256),
                                       static_cast<std::uint8_t>((y * 5 + seed * 11) % 256),
                                       static_cast<std::uint8_t>(((x + y) * 2 + seed * 73) % 256)};
  });
}

namespace {

void write_png_with_format(const fs::path& path, int width, int height, png_uint_32 format, const void* pixels) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(width);
  png.height = static_cast<png_uint_32>(height);
  png.format = format;
  if (png_image_write_to_file(&png, path.c_str(), 0, pixels, 0, nullptr) == 0) {
    throw std::runtime_error("test could not write " + path.string() + ": " + png.message);
  }
}

}  // namespace

void write_png(const fs::path& path, const RgbImage& image) {
  write_png_with_format(path, image.width, image.height, PNG_FORMAT_RGB, image.pixels.data());
}

void write_grey_png(const fs::path& path, int width, int height, const std::vector<std::uint8_t>& grey) {
  write_png_with_format(path, width, height, PNG_FORMAT_GRAY, grey.data());
}

namespace {

struct JpegWriteErrors {
  jpeg_error_mgr manager;  // first member: libjpeg hands this address back
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

extern "C" void on_jpeg_write_error(j_common_ptr cinfo) {
  auto* errors = reinterpret_cast<JpegWriteErrors*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, errors->message);
  std::longjmp(errors->jump, 1);
}

// Everything the compression touches, trivially destructible, so libjpeg's
// error callback may longjmp out of compress_rows().
struct JpegWriteJob {
  jpeg_compress_struct cinfo;
  JpegWriteErrors errors;
  const std::uint8_t* pixels;
  int width, height, components, quality;
  unsigned char* output;
  unsigned long size;
};

bool compress_rows(JpegWriteJob& job) {
  job.cinfo.err = jpeg_std_error(&job.errors.manager);
  job.errors.manager.error_exit = on_jpeg_write_error;
  if (setjmp(job.errors.jump) != 0) {
    jpeg_destroy_compress(&job.cinfo);
    return false;
  }
  jpeg_create_compress(&job.cinfo);
  jpeg_mem_dest(&job.cinfo, &job.output, &job.size);
  job.cinfo.image_width = static_cast<JDIMENSION>(job.width);
  job.cinfo.image_height = static_cast<JDIMENSION>(job.height);
  job.cinfo.input_components = job.components;
  job.cinfo.in_color_space = job.components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&job.cinfo);  // 4:2:0 chroma, as most cameras and ImageNet's files
  jpeg_set_quality(&job.cinfo, job.quality, TRUE);
  jpeg_start_compress(&job.cinfo, TRUE);
  const std::size_t row_bytes = static_cast<std::size_t>(job.width) * static_cast<std::size_t>(job.components);
  while (job.cinfo.next_scanline < job.cinfo.image_height) {
    auto* row = const_cast<JSAMPLE*>(job.pixels + row_bytes * job.cinfo.next_scanline);
    jpeg_write_scanlines(&job.cinfo, &row, 1);
  }
  jpeg_finish_compress(&job.cinfo);
  jpeg_destroy_compress(&job.cinfo);
  return true;
}

std::vector<std::uint8_t> compress_jpeg(const std::uint8_t* pixels, int width, int height, int components, int quality) {
  JpegWriteJob job{};
  job.pixels = pixels;
  job.width = width;
  job.height = height;
  job.components = components;
  job.quality = quality;
  const bool written = compress_rows(job);
  std::vector<std::uint8_t> bytes;
  if (written) bytes.assign(job.output, job.output + job.size);
  std::free(job.output);  // jpeg_mem_dest's buffer, malloc'ed
  if (!written) throw std::runtime_error(std::string("test could not encode a JPEG: ") + job.errors.message);
  return bytes;
}

}  // namespace

std::vector<std::uint8_t> encode_jpeg(const RgbImage& image, int quality) {
  return compress_jpeg(image.pixels.data(), image.width, image.height, 3, quality);
}

void write_grey_jpeg(const fs::path& path, int width, int height, const std::vector<std::uint8_t>& grey) {
  write_bytes(path, compress_jpeg(grey.data(), width, height, 1, 90));
}

void write_jpeg(const fs::path& path, const RgbImage& image, int quality) { write_bytes(path, encode_jpeg(image, quality)); }

void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("test could not write " + path.string());
}

std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> bytes{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t size : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(size >> shift));
  }
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

void write_gzip(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  if (file == nullptr) throw std::runtime_error("test could not create " + path.string());
  const int written = bytes.empty() ? 0 : gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  const int closed = gzclose(file);
  if (written != static_cast<int>(bytes.size()) || closed != Z_OK) {
    throw std::runtime_error("test could not write " + path.string());
  }
}

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const nasctl::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace nasctl::datasets::test
