#include <sys/mman.h>
#include <unistd.h>

#include <stdexcept>

#include "fuzz_targets.hpp"

namespace nasctl::fuzz {

namespace {

// Closes the descriptor however `read` ends.
struct Descriptor {
  int fd;
  ~Descriptor() { ::close(fd); }
};

}  // namespace

void with_memory_file(const std::uint8_t* data, std::size_t size, const std::function<void(const std::string&)>& read) {
  Descriptor file{::memfd_create("nasctl-fuzz", MFD_CLOEXEC)};
  if (file.fd < 0) throw std::runtime_error("memfd_create failed");
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(file.fd, data + done, size - done);
    if (n <= 0) throw std::runtime_error("writing the in-memory file failed");
    done += static_cast<std::size_t>(n);
  }
  read("/proc/self/fd/" + std::to_string(file.fd));
}

}  // namespace nasctl::fuzz
