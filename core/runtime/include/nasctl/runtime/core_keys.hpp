// nasctl's own config keys (seed, out, [budget], [run], [plugins],
// [[objectives]], [[constraints]]), declared with ConfigKey as plugins declare
// theirs. One declaration drives validation (config.cpp, through the same
// validate_table as plugin tables), the reference in docs/config.md
// (`nasctl defaults --markdown`) and the defaults a run records.
//
// The plugin-selection tables ([space], [search], [[hardware]], [accuracy])
// are not here: their keys are the chosen plugin's, plus `plugin` and `name`,
// which config.cpp reads itself because they decide which declaration
// applies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nasctl/config.hpp"

namespace nasctl::runtime {

struct CoreTable {
  std::string path;      // "" (the top level), "budget", "run", "plugins", "objectives", "constraints"
  bool repeated = false; // an array of tables ([[objectives]])
  std::string heading;   // its section title in docs/config.md
  std::string doc;       // what the table is for (Markdown)
  std::vector<ConfigKey> keys;
};

// Every table, in the order docs/config.md presents them.
const std::vector<CoreTable>& core_tables();
// The table at `path`; throws std::logic_error for a path not declared.
const CoreTable& core_table(std::string_view path);

// The plugin-selection tables, which hold the chosen plugin's keys.
const std::vector<std::string>& plugin_section_names();

}  // namespace nasctl::runtime
