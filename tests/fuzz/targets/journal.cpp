// The journal reader `nasctl search --resume` replays.
#include <spdlog/spdlog.h>

#include "../fuzz_targets.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/journal.hpp"

namespace nasctl::fuzz {

int journal(const std::uint8_t* data, std::size_t size) {
  // The reader warns about a cut-short last line; millions of inputs would
  // bury libFuzzer's own output under that warning.
  static const bool quiet = (spdlog::set_level(spdlog::level::off), true);
  (void)quiet;
  with_memory_file(data, size, [](const std::string& path) {
    try {
      double time_stop = 0.0;
      runtime::Journal::read(path, &time_stop);
    } catch (const Error&) {
    }
  });
  return 0;
}

}  // namespace nasctl::fuzz
