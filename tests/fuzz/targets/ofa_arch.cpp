// OFA MobileNetV3's architecture strings (canonical and DyNAS-T's dict
// form); a string that parses must print and parse back to itself.
#include <memory>
#include <stdexcept>

#include "../fuzz_targets.hpp"
#include "../../spaces/plugin_config.hpp"
#include "nasctl/error.hpp"
#include "ofa_mobilenetv3.hpp"

namespace nasctl::fuzz {

int ofa_arch(const std::uint8_t* data, std::size_t size) {
  static const auto space = test::make_plugin<spaces::ofa_mobilenetv3::OfaMobileNetV3>();
  const std::string text(reinterpret_cast<const char*>(data), size);
  Architecture arch;
  try {
    arch = space->parse(text);
  } catch (const Error&) {
    return 0;
  }
  if (space->parse(space->to_string(arch)) != arch) throw std::logic_error("ofa: to_string does not parse back");
  return 0;
}

}  // namespace nasctl::fuzz
