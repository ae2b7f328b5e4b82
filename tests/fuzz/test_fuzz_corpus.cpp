// Every committed fuzz input (tests/fuzz/corpus/<target>/, the seeds and
// what libFuzzer kept) and every past finding (tests/fuzz/regressions/
// <target>/) replayed through its target in the normal build: bad input
// ends in a nasctl::Error or nothing, never another exception or a crash.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz_targets.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Replays the files of one folder; returns how many.
std::size_t replay(const nasctl::fuzz::NamedTarget& target, const fs::path& folder) {
  std::size_t n = 0;
  if (!fs::is_directory(folder)) return n;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = read_bytes(e.path());
    INFO("input: " << e.path().string());
    CHECK_NOTHROW(target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("every committed fuzz input and past finding is read without a crash or a non-nasctl error") {
  const fs::path root = fs::path(NASCTL_SOURCE_DIR) / "tests/fuzz";
  for (const auto& target : nasctl::fuzz::all_targets()) {
    CAPTURE(target.name);
    // Each target has seeds: an empty corpus would test nothing.
    CHECK(replay(target, root / "corpus" / target.name) > 0);
    replay(target, root / "regressions" / target.name);
  }
}
