// The config loader on arbitrary TOML text (with the tables nasctl reads:
// core keys, [[hardware]], [train], ...). Plugins are not loaded: their
// tables are validated later, by the session.
#include "../fuzz_targets.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/config.hpp"

namespace nasctl::fuzz {

int config(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    runtime::load_config_text(text, "fuzz.toml", "/nonexistent-base", {});
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace nasctl::fuzz
