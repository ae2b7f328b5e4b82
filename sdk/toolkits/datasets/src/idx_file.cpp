// Reads idx files through zlib's gz* interface, which inflates gzip files
// and passes other files through unchanged, so one code path serves
// Debian's .gz files and unpacked copies alike.
#include "nasctl/datasets/idx_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::datasets {
namespace {

// The element type byte of an unsigned-byte idx array.
constexpr std::uint8_t kUnsignedByteType = 0x08;
// Beyond any real idx file (Fashion-MNIST's largest holds 47 MB); a corrupt
// header must not make the reader allocate without bound.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 34;

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

class IdxReader {
 public:
  IdxReader(const std::filesystem::path& path, std::string fix) : path_(path.string()), fix_(std::move(fix)) {
    errno = 0;
    file_.reset(gzopen(path_.c_str(), "rb"));
    if (!file_) {
      const std::string reason = errno != 0 ? std::strerror(errno) : "out of memory";
      fail("cannot open (" + reason + ")");
    }
    gzbuffer(file_.get(), 1 << 17);  // fewer, larger reads of the compressed file
  }

  // Reads up to `size` bytes; fewer only where the data ends.
  std::size_t read(std::uint8_t* out, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
      const auto chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
      const int got = gzread(file_.get(), out + done, chunk);
      if (got < 0) fail("unreadable: " + zlib_error());
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

  bool at_end() { return gzgetc(file_.get()) == -1; }

  // Why the data stopped: zlib's complaint about a cut-off or damaged
  // compressed stream, or none when the stream simply ends.
  std::string zlib_error() {
    int code = Z_OK;
    const char* message = gzerror(file_.get(), &code);
    if (code == Z_OK) return "the data ends there";
    return code == Z_ERRNO ? std::string(std::strerror(errno)) : std::string(message);
  }

  [[noreturn]] void fail(const std::string& what) const { throw DataError(path_ + ": " + what + "; fix: " + fix_); }

 private:
  std::string path_;
  std::string fix_;
  GzFile file_;
};

std::uint32_t big_endian(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

}  // namespace

IdxBytes read_idx_file(const std::filesystem::path& path, int expected_dims, const std::string& fix) {
  IdxReader reader(path, fix);
  std::uint8_t magic[4];
  if (reader.read(magic, 4) < 4) reader.fail("truncated: shorter than the 4-byte idx magic number");
  const std::uint32_t expected_magic = (std::uint32_t{kUnsignedByteType} << 8) | static_cast<std::uint32_t>(expected_dims);
  if (big_endian(magic) != expected_magic) {
    reader.fail("not an unsigned-byte idx file of " + std::to_string(expected_dims) + " dimension(s): magic number " +
                hex32(big_endian(magic)) + ", expected " + hex32(expected_magic));
  }

  IdxBytes result;
  std::int64_t elements = 1;
  std::string shape;
  for (int d = 0; d < expected_dims; ++d) {
    std::uint8_t size_bytes[4];
    if (reader.read(size_bytes, 4) < 4) reader.fail("truncated: the header ends inside its dimension sizes");
    const std::int64_t size = big_endian(size_bytes);
    result.dims.push_back(size);
    shape += (d == 0 ? "" : " x ") + std::to_string(size);
    // Checked before multiplying, so the product never overflows.
    if (size != 0 && elements > kMaxElements / size) reader.fail("implausible header: " + shape + "... elements");
    elements *= size;
  }

  result.data.resize(static_cast<std::size_t>(elements));
  const std::size_t got = reader.read(result.data.data(), result.data.size());
  if (got < result.data.size()) {
    const std::string total = expected_dims > 1 ? " = " + std::to_string(elements) : "";
    reader.fail("truncated: the header announces " + shape + total + " bytes of data, the file holds " +
                std::to_string(got) + " (" + reader.zlib_error() + ")");
  }
  if (!reader.at_end()) {
    reader.fail("longer than its header announces (" + shape + " bytes of data)");
  }
  return result;
}

}  // namespace nasctl::datasets
