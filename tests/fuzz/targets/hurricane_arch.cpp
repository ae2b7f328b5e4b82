// HURRICANE's architecture strings; a string that parses must print and
// parse back to itself.
#include <memory>
#include <stdexcept>

#include "../fuzz_targets.hpp"
#include "../../spaces/plugin_config.hpp"
#include "hurricane_space.hpp"
#include "nasctl/error.hpp"

namespace nasctl::fuzz {

int hurricane_arch(const std::uint8_t* data, std::size_t size) {
  static const auto space = test::make_plugin<spaces::hurricane::HurricaneSpace>();
  const std::string text(reinterpret_cast<const char*>(data), size);
  Architecture arch;
  try {
    arch = space->parse(text);
  } catch (const Error&) {
    return 0;
  }
  if (space->parse(space->to_string(arch)) != arch) throw std::logic_error("hurricane: to_string does not parse back");
  return 0;
}

}  // namespace nasctl::fuzz
