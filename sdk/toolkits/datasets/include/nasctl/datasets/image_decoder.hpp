// JPEG and PNG files to RGB, as PIL's Image.open(path).convert("RGB") gives
// them to torchvision's ImageFolder:
// - JPEG through libjpeg-turbo's libjpeg API with the settings PIL uses
//   (accurate integer IDCT, fancy upsampling), so the pixels are PIL's
//   (checked equal, byte for byte, against Pillow 12.3 on its bundled
//   libjpeg-turbo 3.1); grey becomes R = G = B; four-component JPEGs are
//   read as inverted (Adobe) CMYK and converted with PIL's formula. A
//   truncated file is an error (PIL: "image file is truncated"); corrupt
//   data libjpeg resynchronises past ("Corrupt JPEG data: ... extraneous
//   bytes", a few ImageNet files) is decoded, as PIL decodes it.
// - PNG through libpng's simplified API; alpha is dropped (not blended),
//   palettes and grey are expanded. libpng converts a gAMA chunk that is not
//   sRGB-like and 16-bit samples to 8-bit sRGB, where PIL keeps the stored
//   values (high byte for 16 bits): such rare files can differ by a level.
// The format is told by the file's first bytes, not its name (ImageNet has
// a PNG named .JPEG). Every failure is a one-line nasctl::DataError that
// names the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "nasctl/datasets/rgb_image.hpp"

namespace nasctl::datasets {

// Images with more pixels than this are refused, as PIL refuses them
// (its decompression-bomb error threshold, 2 x 89,478,485 pixels): a
// corrupt header must not make the loader allocate gigabytes.
inline constexpr std::int64_t kMaxImagePixels = 2 * 89478485LL;

RgbImage decode_image_file(const std::filesystem::path& path);

// `bytes` hold a whole JPEG or PNG file; `name` is what errors call it.
RgbImage decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name);

// The same into `image` and `file_bytes`, whose buffers are reused: a loader
// thread that passes the same ones for every image allocates (and
// page-faults) its buffers once instead of per image.
void decode_image_file(const std::filesystem::path& path, RgbImage& image, std::vector<std::uint8_t>& file_bytes);
void decode_image(const std::vector<std::uint8_t>& bytes, const std::string& name, RgbImage& image);

}  // namespace nasctl::datasets
