#include "nasctl/predict/table_config.hpp"

#include <cctype>

namespace nasctl::predict {

namespace {

// Metric names become "<instance>.<name>" in configs and column names in
// outputs, so they stay identifiers.
bool is_identifier(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::vector<ConfigKey> table_config_keys() {
  return {
      ConfigKey::needed("files", ConfigType::StringList,
                        "CSV files of architecture -> metrics rows (e.g. DyNAS-T's); several files are merged and "
                        "an architecture found in several rows gets the mean of its values; relative paths resolve "
                        "against the config file's folder"),
      ConfigKey::string("arch_column", "Sub-network",
                        "Column holding the architecture, in any text form the search space parses"),
      ConfigKey::list("columns", ConfigType::StringTable, StringTable{{"top1", "Top-1 Acc (%)"}},
                      "Metric name -> column holding it, e.g. { top1 = \"Top-1 Acc (%)\", macs = \"MACs\" }"),
  };
}

TableColumns table_columns(const PluginConfig& config) {
  TableColumns columns;
  columns.architecture = config.get_string("arch_column");
  if (columns.architecture.empty())
    config.fail("arch_column", "is empty; fix: name the column holding the architecture, e.g. \"Sub-network\"");
  const StringTable& metrics = config.get_table("columns");
  if (metrics.empty())
    config.fail("columns", "is empty; fix: map at least one metric to a column, e.g. { top1 = \"Top-1 Acc (%)\" }");
  for (const auto& [metric, column] : metrics) {
    if (!is_identifier(metric))
      config.fail("columns", "metric name '" + metric +
                                 "' is not an identifier; fix: use letters, digits and '_' only, e.g. top1");
    if (column.empty())
      config.fail("columns", "metric '" + metric + "' maps to an empty column name; fix: name a column");
  }
  columns.metrics = metrics;
  return columns;
}

std::vector<std::string> table_files(const PluginConfig& config) {
  std::vector<std::string> files = config.get_paths("files");
  if (files.empty()) config.fail("files", "is empty; fix: list at least one CSV file, e.g. [\"data/table.csv\"]");
  return files;
}

}  // namespace nasctl::predict
