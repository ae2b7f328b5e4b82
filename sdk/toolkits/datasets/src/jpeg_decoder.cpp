// JPEG through libjpeg's own API, as PIL decodes it: libjpeg-turbo is the
// libjpeg of Debian (libjpeg-dev) and of the GPU machines' Ubuntu, and of
// Pillow's wheels. Decoded with libjpeg's defaults, which PIL keeps: the
// accurate integer IDCT (JDCT_ISLOW) and fancy upsampling.
//
// libjpeg reports fatal errors through a callback that must not return;
// nasctl's longjmps back to run_decompression(), whose frame holds only
// trivially destructible objects (C++ allows setjmp/longjmp exactly then).
// The pixel buffers live in the caller's frame, out of the jump's way.
#include <csetjmp>
#include <cstdio>
// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

#include <algorithm>
#include <new>

#include "format_decoders.hpp"
#include "nasctl/datasets/image_decoder.hpp"

namespace nasctl::datasets::decoding {
namespace {

struct JpegErrors {
  jpeg_error_mgr manager;  // first member: libjpeg hands this address back as cinfo->err
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool truncated;
};

// Everything a decompression touches, trivially destructible.
struct JpegJob {
  jpeg_decompress_struct cinfo;
  JpegErrors errors;
  const std::uint8_t* data;
  unsigned long size;
  // Out: rows of `components` bytes per pixel, RGB files into rgb_pixels,
  // grey and CMYK ones into other_pixels.
  std::vector<std::uint8_t>* rgb_pixels;
  std::vector<std::uint8_t>* other_pixels;
  int width;
  int height;
  int components;  // 1 grey, 3 RGB, 4 CMYK as stored (Adobe: inverted)
  bool too_large;
  bool out_of_memory;
};

extern "C" void on_jpeg_error(j_common_ptr cinfo) {
  auto* errors = reinterpret_cast<JpegErrors*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, errors->message);
  std::longjmp(errors->jump, 1);
}

// Warnings: libjpeg resynchronises past corrupt data and PIL keeps such
// images, so do we, except a file that ends early: libjpeg would fill the
// rest with grey, PIL refuses it ("image file is truncated").
extern "C" void on_jpeg_message(j_common_ptr cinfo, int level) {
  if (level >= 0 || cinfo->err->msg_code != JWRN_JPEG_EOF) return;
  auto* errors = reinterpret_cast<JpegErrors*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, errors->message);
  errors->truncated = true;
  std::longjmp(errors->jump, 1);
}

bool run_decompression(JpegJob& job) {
  job.cinfo.err = jpeg_std_error(&job.errors.manager);
  job.errors.manager.error_exit = on_jpeg_error;
  job.errors.manager.emit_message = on_jpeg_message;
  if (setjmp(job.errors.jump) != 0) {
    jpeg_destroy_decompress(&job.cinfo);
    return false;
  }
  jpeg_create_decompress(&job.cinfo);
  jpeg_mem_src(&job.cinfo, job.data, job.size);
  jpeg_read_header(&job.cinfo, TRUE);
  const J_COLOR_SPACE stored = job.cinfo.jpeg_color_space;
  job.cinfo.out_color_space = stored == JCS_GRAYSCALE                      ? JCS_GRAYSCALE
                              : stored == JCS_CMYK || stored == JCS_YCCK ? JCS_CMYK
                                                                         : JCS_RGB;
  job.cinfo.dct_method = JDCT_ISLOW;
  job.cinfo.do_fancy_upsampling = TRUE;
  jpeg_start_decompress(&job.cinfo);
  job.width = static_cast<int>(job.cinfo.output_width);
  job.height = static_cast<int>(job.cinfo.output_height);
  job.components = job.cinfo.output_components;
  if (static_cast<std::int64_t>(job.width) * job.height > kMaxImagePixels) {
    job.too_large = true;
    jpeg_destroy_decompress(&job.cinfo);
    return false;
  }
  const std::size_t row_bytes = static_cast<std::size_t>(job.width) * static_cast<std::size_t>(job.components);
  std::vector<std::uint8_t>* pixels = job.components == 3 ? job.rgb_pixels : job.other_pixels;
  try {
    pixels->resize(row_bytes * static_cast<std::size_t>(job.height));
  } catch (const std::bad_alloc&) {
    job.out_of_memory = true;
    jpeg_destroy_decompress(&job.cinfo);
    return false;
  }
  while (job.cinfo.output_scanline < job.cinfo.output_height) {
    JSAMPROW row = pixels->data() + row_bytes * job.cinfo.output_scanline;
    jpeg_read_scanlines(&job.cinfo, &row, 1);
  }
  jpeg_finish_decompress(&job.cinfo);
  jpeg_destroy_decompress(&job.cinfo);
  return true;
}

// PIL opens a four-component JPEG as inverted CMYK ("CMYK;I", Adobe's
// convention, assumed for every such file) and converts with
// R = (255 - K) - C (255 - K) / 255 in its fixed-point form (MULDIV255);
// libjpeg hands over the stored, inverted values.
void inverted_cmyk_to_rgb(const std::vector<std::uint8_t>& cmyk, std::vector<std::uint8_t>& rgb) {
  const std::size_t pixels = cmyk.size() / 4;
  rgb.resize(pixels * 3);
  for (std::size_t i = 0; i < pixels; ++i) {
    const int not_black = cmyk[i * 4 + 3];  // PIL's 255 - K, with K = 255 - stored
    for (std::size_t c = 0; c < 3; ++c) {
      const int ink = 255 - cmyk[i * 4 + c];
      const int product = ink * not_black + 128;
      const int scaled = ((product >> 8) + product) >> 8;
      rgb[i * 3 + c] = static_cast<std::uint8_t>(std::clamp(not_black - scaled, 0, 255));
    }
  }
}

void grey_to_rgb(const std::vector<std::uint8_t>& grey, std::vector<std::uint8_t>& rgb) {
  rgb.resize(grey.size() * 3);
  for (std::size_t i = 0; i < grey.size(); ++i) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = grey[i];
}

}  // namespace

void decode_jpeg(const std::vector<std::uint8_t>& bytes, const std::string& name, RgbImage& image) {
  std::vector<std::uint8_t> other_components;  // grey and CMYK files only
  JpegJob job{};
  job.data = bytes.data();
  job.size = static_cast<unsigned long>(bytes.size());
  job.rgb_pixels = &image.pixels;
  job.other_pixels = &other_components;
  if (!run_decompression(job)) {
    if (job.too_large) check_size(name, job.width, job.height);
    if (job.out_of_memory) fail(name, "not enough memory to decode it", "free memory or scale the image down");
    fail(name, std::string(job.errors.truncated ? "truncated JPEG (" : "corrupt JPEG (") + job.errors.message + ")");
  }
  check_size(name, job.width, job.height);
  image.width = job.width;
  image.height = job.height;
  if (job.components == 4) inverted_cmyk_to_rgb(other_components, image.pixels);
  if (job.components == 1) grey_to_rgb(other_components, image.pixels);
}

}  // namespace nasctl::datasets::decoding
