#include "nasctl/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "nasctl/error.hpp"

namespace nasctl {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int error) { return std::strerror(error); }

// The fix for a failed create/write, by cause.
std::string fix_for(int error, const fs::path& folder, const std::string& what) {
  switch (error) {
    case EACCES:
    case EPERM:
    case EROFS:
      return "write into a folder you may write to, or change the permissions of " + folder.string();
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return "free space in " + folder.string() + " or write " + what + " elsewhere";
    default:
      return "check the path and the folder " + folder.string();
  }
}

// Opens a new temporary beside `path`. O_EXCL with a random suffix instead of
// mkstemp: the file is created with mode 0666 minus the umask, as the final
// file should be (mkstemp's 0600 would survive the rename).
constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr const char* kTemporaryTag = ".tmp-";
constexpr std::size_t kSuffixLength = 6;

int open_temporary(const std::string& path, std::string& temporary) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string suffix;
    for (std::size_t i = 0; i < kSuffixLength; ++i) suffix += kAlphabet[rd() % (sizeof kAlphabet - 1)];
    temporary = path + kTemporaryTag + suffix;
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

// Whether `name` is `target` + ".tmp-" + a suffix open_temporary could draw.
bool is_temporary_of(const std::string& name, const std::string& target) {
  const std::string prefix = target + kTemporaryTag;
  if (name.size() != prefix.size() + kSuffixLength || name.compare(0, prefix.size(), prefix) != 0) return false;
  for (std::size_t i = prefix.size(); i < name.size(); ++i) {
    if (std::strchr(kAlphabet, name[i]) == nullptr) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> remove_leftover_temporaries(const std::string& path) {
  const fs::path target = fs::absolute(path);
  const std::string name = target.filename().string();
  std::vector<fs::path> found;
  std::error_code ec;
  fs::directory_iterator it(target.parent_path(), ec);
  if (ec || name.empty()) return {};
  // Listed first, removed after: unlinking while reading a folder may make
  // the listing skip or repeat entries.
  for (const fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    std::error_code type_error;
    if (is_temporary_of(it->path().filename().string(), name) && it->is_regular_file(type_error))
      found.push_back(it->path());
  }
  std::vector<std::string> removed;
  for (const fs::path& entry : found) {
    std::error_code remove_error;
    if (fs::remove(entry, remove_error)) removed.push_back(entry.string());
  }
  return removed;
}

void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what) {
  const fs::path target = fs::absolute(path);
  const fs::path folder = target.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw Error(path + ": folder " + folder.string() + " does not exist; fix: create it or write " + what + " elsewhere");
  if (fs::is_directory(target, ec))
    throw Error(path + ": is a folder; fix: give a file name, e.g. " + (target / "file").string());

  std::string temporary;
  const int fd = open_temporary(target.string(), temporary);
  if (fd < 0) {
    const int error = errno;
    throw Error(path + ": cannot create a file in " + folder.string() + " (" + errno_text(error) +
                "); fix: " + fix_for(error, folder, what));
  }
  auto fail = [&](int error, const std::string& what) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw Error(path + ": " + what + " (" + errno_text(error) + "); nothing was written; fix: " + fix_for(error, folder, what));
  };
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno, "writing " + std::to_string(bytes.size()) + " bytes failed");
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  // Without fsync a crash right after the rename can leave an empty file
  // under the final name on some file systems.
  if (::fsync(fd) != 0) fail(errno, "flushing the file failed");
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw Error(path + ": closing the file failed (" + errno_text(error) + "); nothing was written; fix: " +
                fix_for(error, folder, what));
  }
  if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw Error(path + ": cannot replace the file (" + errno_text(error) + "); nothing was written; fix: " +
                fix_for(error, folder, what));
  }
}

}  // namespace nasctl
