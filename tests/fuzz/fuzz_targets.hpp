// The fuzz targets: one function per reader of input a user or a crash can
// hand nasctl (config, architecture strings, CSV, lookup tables, device
// profiles, predictor model files, journals, HURRICANE operators files).
// Each takes arbitrary bytes and returns 0; bad input may end only in a
// nasctl::Error (the one-line message users see), which the target catches. Anything else (another exception, a
// sanitizer report, a crash) is a finding. libFuzzer drives them in the
// NASCTL_FUZZ build (libfuzzer_entry.cpp); the normal suite replays the
// committed corpus and every past finding through them (test_fuzz_corpus.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nasctl {
class SearchSpace;
}

namespace nasctl::fuzz {

using Target = int (*)(const std::uint8_t* data, std::size_t size);

int config(const std::uint8_t* data, std::size_t size);
int ofa_arch(const std::uint8_t* data, std::size_t size);
int hurricane_arch(const std::uint8_t* data, std::size_t size);
int hurricane_operators(const std::uint8_t* data, std::size_t size);
int csv(const std::uint8_t* data, std::size_t size);
int lut(const std::uint8_t* data, std::size_t size);
int roofline_profile(const std::uint8_t* data, std::size_t size);
int predictor_model(const std::uint8_t* data, std::size_t size);
int journal(const std::uint8_t* data, std::size_t size);

// The architecture-string targets' check: `space` parses the bytes or
// throws nasctl::Error; what it parses prints and parses back to itself
// (std::logic_error naming `who` otherwise).
int arch_round_trip(const SearchSpace& space, const char* who, const std::uint8_t* data, std::size_t size);

// Every target by its name (the name of its corpus folder).
struct NamedTarget {
  const char* name;
  Target run;
};
const std::vector<NamedTarget>& all_targets();

// Calls `read(path)` with a path whose file holds exactly `data`: an
// in-memory file (memfd), so a fuzzer's millions of inputs touch no disk.
void with_memory_file(const std::uint8_t* data, std::size_t size, const std::function<void(const std::string&)>& read);

}  // namespace nasctl::fuzz
