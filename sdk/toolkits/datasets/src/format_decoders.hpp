// The two formats image_decoder.cpp dispatches to, one file each, and what
// they share: the error form and the size limit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nasctl/datasets/rgb_image.hpp"

namespace nasctl::datasets::decoding {

inline constexpr const char* kReplaceFix = "replace the file with a good copy or remove it from the folder";

// Throws nasctl::DataError "<name>: <what>; fix: <fix>".
[[noreturn]] void fail(const std::string& name, const std::string& what, const std::string& fix = kReplaceFix);

// Refuses an empty image and one beyond kMaxImagePixels.
void check_size(const std::string& name, std::int64_t width, std::int64_t height);

// Both write into `image`, reusing its buffer.
void decode_jpeg(const std::vector<std::uint8_t>& bytes, const std::string& name, RgbImage& image);
void decode_png(const std::vector<std::uint8_t>& bytes, const std::string& name, RgbImage& image);

}  // namespace nasctl::datasets::decoding
