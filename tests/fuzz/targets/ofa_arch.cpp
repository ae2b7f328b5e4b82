// OFA MobileNetV3's architecture strings (canonical and DyNAS-T's dict
// form); a string that parses must print and parse back to itself.
#include "../fuzz_targets.hpp"
#include "../../spaces/plugin_config.hpp"
#include "ofa_mobilenetv3.hpp"

namespace nasctl::fuzz {

int ofa_arch(const std::uint8_t* data, std::size_t size) {
  static const auto space = test::make_plugin<spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  return arch_round_trip(*space, "ofa", data, size);
}

}  // namespace nasctl::fuzz
