// Config keys as text for people: the Markdown tables of docs/config.md
// (nasctl's own keys from `nasctl defaults --markdown`, every plugin's from
// `nasctl plugins --markdown`) and the bounds `plugins show` prints.
#pragma once

#include <string>
#include <vector>

#include "nasctl/config.hpp"

namespace nasctl::cli {

// "4", "0.5": integers without a fraction.
std::string bound_text(double v);

// | key | type | default | description | rows for `keys`, with allowed
// values and bounds appended to each description.
std::string markdown_key_table(const std::vector<ConfigKey>& keys);

}  // namespace nasctl::cli
