// The CSV reader (libcsv underneath) every table goes through, and the
// typed access a table reader makes after it.
#include "../fuzz_targets.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"

namespace nasctl::fuzz {

int csv(const std::uint8_t* data, std::size_t size) {
  with_memory_file(data, size, [](const std::string& path) {
    try {
      const CsvTable t = read_csv(path);
      for (std::size_t r = 0; r < t.rows.size(); ++r) {
        for (std::size_t c = 0; c < t.header.size(); ++c) {
          try {
            t.number(r, c);
          } catch (const Error&) {
          }
        }
      }
    } catch (const Error&) {
    }
  });
  return 0;
}

}  // namespace nasctl::fuzz
