// The idx format of MNIST and Fashion-MNIST: a big-endian magic number
// 0x0000TTNN (TT = element type, NN = number of dimensions), NN big-endian
// 32-bit dimension sizes, then the elements in row-major order. nasctl reads
// unsigned-byte arrays (TT = 0x08), gzip-compressed (as Debian ships them)
// or not (as torchvision unpacks them); zlib's gz* functions read both.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nasctl::datasets {

struct IdxBytes {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;  // product(dims) bytes, row-major
};

// Reads `path`, which must hold an unsigned-byte array of `expected_dims`
// dimensions (1 for labels, 3 for images). A missing or unreadable file, a
// wrong magic number, and data shorter or longer than the header announces
// are one-line nasctl::DataErrors naming the file, ending in "; fix: "
// followed by `fix` (what the caller's user can do about a bad file).
IdxBytes read_idx_file(const std::filesystem::path& path, int expected_dims,
                       const std::string& fix = "replace it with a complete copy of the file");

}  // namespace nasctl::datasets
