// The HURRICANE space's operators file (`nasctl space select`'s output,
// [space] operators_file): the space is built from it as a search builds it,
// so a file that loads must also yield a space whose every layer offers
// operators that lower to a valid network and print and parse back.
#include <stdexcept>
#include <string>

#include "../../spaces/plugin_config.hpp"
#include "../fuzz_targets.hpp"
#include "hurricane_space.hpp"
#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/rng.hpp"

namespace nasctl::fuzz {

int hurricane_operators(const std::uint8_t* data, std::size_t size) {
  with_memory_file(data, size, [](const std::string& path) {
    std::unique_ptr<spaces::hurricane::HurricaneSpace> space;
    try {
      space = test::make_plugin<spaces::hurricane::HurricaneSpace>({{"operators_file", path}});
    } catch (const Error&) {
      return;
    }
    // Loaded: the first and last choice of every layer, and a few samples.
    for (const auto& variable : space->variables())
      if (variable.labels.empty()) throw std::logic_error("hurricane_operators: a layer with no operators loaded");
    Rng rng(1);
    for (int i = 0; i < 3; ++i) {
      const Architecture arch = i == 0 ? Architecture(space->variables().size(), 0) : space->sample(rng);
      check_network(space->lower(arch));
      if (space->parse(space->to_string(arch)) != arch)
        throw std::logic_error("hurricane_operators: to_string does not parse back");
    }
  });
  return 0;
}

}  // namespace nasctl::fuzz
