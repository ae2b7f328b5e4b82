// What both architecture-string targets check: bytes that a space parses
// must print (to_string) and parse back to the same architecture.
#include <stdexcept>
#include <string>

#include "../fuzz_targets.hpp"
#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::fuzz {

int arch_round_trip(const SearchSpace& space, const char* who, const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Architecture arch;
  try {
    arch = space.parse(text);
  } catch (const Error&) {
    return 0;
  }
  if (space.parse(space.to_string(arch)) != arch)
    throw std::logic_error(std::string(who) + ": to_string does not parse back");
  return 0;
}

}  // namespace nasctl::fuzz
