// The latency lookup table reader (format line, comments, rows, checks).
#include "../fuzz_targets.hpp"
#include "nasctl/error.hpp"
#include "nasctl/lut/lut_file.hpp"

namespace nasctl::fuzz {

int lut(const std::uint8_t* data, std::size_t size) {
  with_memory_file(data, size, [](const std::string& path) {
    try {
      lut::read_lut(path);
    } catch (const Error&) {
    }
  });
  return 0;
}

}  // namespace nasctl::fuzz
