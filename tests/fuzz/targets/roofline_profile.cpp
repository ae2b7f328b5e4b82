// The roofline plugin's device profiles (TOML).
#include "../fuzz_targets.hpp"
#include "device_profile.hpp"
#include "nasctl/error.hpp"

namespace nasctl::fuzz {

int roofline_profile(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    hardware::roofline::parse_device_profile(text, "fuzz.toml");
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace nasctl::fuzz
