// libFuzzer's entry point for one target, chosen at compile time
// (NASCTL_FUZZ_TARGET=<function>): one executable per target, so each keeps
// its own corpus and coverage.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return nasctl::fuzz::NASCTL_FUZZ_TARGET(data, size);
}
