// The declarations of nasctl's own config keys (core_keys.hpp). Checks one
// key cannot express alone (exactly one of max/min, a budget at all,
// seconds > 0) stay in config.cpp, next to the code that reads the values.
#include "nasctl/runtime/core_keys.hpp"

#include <stdexcept>

namespace nasctl::runtime {

namespace {

ConfigKey required_choice(std::string name, std::vector<std::string> allowed, std::string doc) {
  ConfigKey key = ConfigKey::needed(std::move(name), ConfigType::String, std::move(doc));
  key.allowed = std::move(allowed);
  return key;
}

std::vector<CoreTable> declare() {
  std::vector<CoreTable> tables;
  tables.push_back(CoreTable{
      "", false, "Top-level keys", "",
      {ConfigKey::integer("seed", 42,
                          "Seed of the search strategy (and of plugins that draw randomly). Same seed + same "
                          "config = same results")
           .at_least(0),
       ConfigKey::string("out", "runs/latest",
                         "Output folder of `nasctl search` (overridden by `-o`). Must not already hold a run; "
                         "continue one with `--resume DIR`")}});
  tables.push_back(CoreTable{
      "objectives", true, "`[[objectives]]` (one or more)", "",
      {ConfigKey::needed("metric", ConfigType::String,
                         "`<instance>.<metric>`, e.g. `accuracy.top1_pred`, `cpu.latency_ms`"),
       required_choice("goal", {"min", "max"}, "Direction: `min` (smaller is better) or `max`")}});
  tables.push_back(CoreTable{
      "constraints", true, "`[[constraints]]` (any number)",
      "Each constraint gives exactly one of `max` and `min`.",
      {ConfigKey::needed("metric", ConfigType::String, "`<instance>.<metric>`, e.g. `cpu.latency_ms`"),
       ConfigKey::optional("max", ConfigType::Float, "The metric must be <= max"),
       ConfigKey::optional("min", ConfigType::Float, "The metric must be >= min")}});
  tables.push_back(CoreTable{
      "budget", false, "`[budget]` (required: at least one key)", "",
      {ConfigKey::optional("evaluations", ConfigType::Int,
                           "Distinct architectures evaluated. Architectures a strategy proposes again are answered "
                           "from the records and cost nothing")
           .at_least(1),
       ConfigKey::optional("seconds", ConfigType::Float,
                           "Wall-clock limit (> 0) over all sessions of the run (a resumed run continues the clock), "
                           "checked between batches")}});
  tables.push_back(CoreTable{
      "run", false, "`[run]` (optional)", "",
      {ConfigKey::integer("threads", 0,
                          "Threads evaluating thread-safe metric providers in parallel; 0: all cores. Timing "
                          "providers (`measure`) always run alone. Results do not depend on it, except measured "
                          "latencies")
           .at_least(0),
       ConfigKey::integer("batch", 0,
                          "Candidates asked from the strategy at a time; 0: the strategy's preference (a "
                          "generation for `nsga2`). Part of what makes a run reproducible: changing it changes the "
                          "run")
           .at_least(0)}});
  tables.push_back(CoreTable{
      "plugins", false, "`[plugins]` (optional)", "",
      {ConfigKey::list("paths", ConfigType::StringList, std::vector<std::string>{},
                       "Extra plugin folders (or `.so` files), searched after the built-in folder and "
                       "`NAS_PLUGIN_PATH`; relative paths resolve against the config file's folder. A folder that "
                       "does not exist is an error")}});
  return tables;
}

}  // namespace

const std::vector<CoreTable>& core_tables() {
  static const std::vector<CoreTable> tables = declare();
  return tables;
}

const CoreTable& core_table(std::string_view path) {
  for (const auto& table : core_tables())
    if (table.path == path) return table;
  throw std::logic_error("core_table: no table '" + std::string(path) + "' is declared");
}

const std::vector<std::string>& plugin_section_names() {
  static const std::vector<std::string> names = {"space", "search", "hardware", "accuracy"};
  return names;
}

}  // namespace nasctl::runtime
