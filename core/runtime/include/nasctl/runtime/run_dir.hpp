// The run folder's config.toml: the resolved config plus the folder its
// relative paths resolve against, so `--resume DIR` alone restarts the run
// exactly, and a resume with a different config is refused.
#pragma once

#include <string>
#include <vector>

#include "nasctl/runtime/config.hpp"

namespace nasctl::runtime {

// config.toml's text: a header comment carrying base_dir, then the TOML.
std::string config_file_text(const RunConfig& config);
// Loads DIR/config.toml with its original base_dir (overrides applied).
RunConfig load_run_config(const std::string& run_dir, const std::vector<std::string>& overrides);
// Throws ConfigError naming the first difference when `config` differs
// from the run's own config in anything but [budget] and out.
void check_resume_config(const std::string& run_dir, const RunConfig& config);

}  // namespace nasctl::runtime
