// HURRICANE's architecture strings; a string that parses must print and
// parse back to itself.
#include "../fuzz_targets.hpp"
#include "../../spaces/plugin_config.hpp"
#include "hurricane_space.hpp"

namespace nasctl::fuzz {

int hurricane_arch(const std::uint8_t* data, std::size_t size) {
  static const auto space = test::make_plugin<spaces::hurricane::HurricaneSpace>();
  return arch_round_trip(*space, "hurricane", data, size);
}

}  // namespace nasctl::fuzz
