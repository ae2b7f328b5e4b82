// SHA-256 (FIPS 180-4) of a file, for run.json: which checkpoint an accuracy
// was measured with. Written here rather than taken from a library because
// none of nasctl's dependencies offers it (LibTorch has SHA-1 and CRC-32
// only); OpenSSL, nettle and libgcrypt would each be a new build dependency
// of every machine nasctl builds on for one function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nasctl::accuracy::supernet {

// Incremental: update() with the bytes in order, then hex() once.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  // The digest as 64 lower-case hexadecimal digits. Ends the computation.
  std::string hex();

 private:
  void block(const std::uint8_t* p);
  std::uint32_t state_[8];
  std::uint8_t buffer_[64];
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes so far
};

// The digest of the file's bytes. Throws nasctl::Error naming `path` when it
// cannot be read.
std::string sha256_of_file(const std::string& path);

}  // namespace nasctl::accuracy::supernet
