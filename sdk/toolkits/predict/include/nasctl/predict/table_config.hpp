// The config keys of accuracy sources that read architecture tables (the
// `table` and `predictor` plugins), declared once so both document and check
// them alike:
//   files       list of CSV paths, required; several files are merged
//   arch_column column holding the architecture (default "Sub-network")
//   columns     metric name -> column (default { top1 = "Top-1 Acc (%)" })
#pragma once

#include <string>
#include <vector>

#include "nasctl/config.hpp"
#include "nasctl/predict/metric_table.hpp"

namespace nasctl::predict {

std::vector<ConfigKey> table_config_keys();

// The table's columns from a config validated against table_config_keys();
// throws ConfigError (naming the key) for an empty `files` list or `columns` table.
TableColumns table_columns(const PluginConfig& config);
// The `files` paths, resolved against the config file's folder.
std::vector<std::string> table_files(const PluginConfig& config);

}  // namespace nasctl::predict
