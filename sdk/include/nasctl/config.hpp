// Typed access to a plugin's own TOML table. A plugin declares its keys once
// (name, type, default, doc); that declaration drives validation, defaults,
// `nasctl plugins show` and docs/config.md. By the time a plugin sees its
// PluginConfig every declared key is present with the declared type, so the
// getters only fail on a programming error in the plugin itself.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nasctl {

enum class ConfigType { Bool, Int, Float, String, Path, StringList, FloatList, IntList, StringTable };

const char* to_string(ConfigType type);

using StringTable = std::map<std::string, std::string>;
using ConfigValue = std::variant<std::monostate, bool, int64_t, double, std::string,
                                 std::vector<std::string>, std::vector<double>,
                                 std::vector<int64_t>, StringTable>;

// Renders a value as TOML (used by `plugins show`, docs and run.json).
std::string to_toml(const ConfigValue& value);

struct ConfigKey {
  std::string name;
  ConfigType type = ConfigType::String;
  ConfigValue default_value;  // std::monostate: no default
  std::string doc;
  bool required = false;               // must be given by the user
  std::vector<std::string> allowed;    // for String: the accepted values
  std::optional<double> min, max;      // for Int/Float (and their lists)

  // Declaration helpers: ConfigKey::integer("threads", 1, "Intra-op threads").at_least(1)
  static ConfigKey boolean(std::string name, bool def, std::string doc);
  static ConfigKey integer(std::string name, int64_t def, std::string doc);
  static ConfigKey real(std::string name, double def, std::string doc);
  static ConfigKey string(std::string name, std::string def, std::string doc);
  static ConfigKey choice(std::string name, std::string def, std::vector<std::string> allowed,
                          std::string doc);
  static ConfigKey path(std::string name, std::string doc);  // required file path
  static ConfigKey list(std::string name, ConfigType type, ConfigValue def, std::string doc);
  static ConfigKey table(std::string name, std::string doc);  // optional string table
  // A key of any type the user must give.
  static ConfigKey needed(std::string name, ConfigType type, std::string doc);
  // A key of any type that may be absent (no default); test with has().
  static ConfigKey optional(std::string name, ConfigType type, std::string doc);

  ConfigKey at_least(double v) &&;
  ConfigKey at_most(double v) &&;
};

class PluginConfig {
 public:
  struct Entry {
    ConfigValue value;
    std::string where;  // "file:line:col" of the value, "--set", or "default"
  };

  PluginConfig() = default;
  // table: the key path of the plugin's table, e.g. "hardware[0]" or "search".
  // base_dir: where relative paths resolve (the config file's folder).
  PluginConfig(std::string table, std::string base_dir, std::string file,
               std::map<std::string, Entry> entries);

  bool has(std::string_view key) const;
  bool get_bool(std::string_view key) const;
  int64_t get_int(std::string_view key) const;
  double get_double(std::string_view key) const;  // Int values convert
  const std::string& get_string(std::string_view key) const;
  // A Path/String value resolved against the config file's folder.
  std::string get_path(std::string_view key) const;
  const std::vector<std::string>& get_strings(std::string_view key) const;
  std::vector<std::string> get_paths(std::string_view key) const;
  std::vector<double> get_doubles(std::string_view key) const;
  const std::vector<int64_t>& get_ints(std::string_view key) const;
  const StringTable& get_table(std::string_view key) const;

  // Throws ConfigError "<where>: key '<table>.<key>': <message>". Plugins use
  // it for checks the declaration cannot express (e.g. a file's content).
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;

  const std::string& table() const { return table_; }
  const std::string& base_dir() const { return base_dir_; }
  const std::string& file() const { return file_; }
  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  const Entry& entry(std::string_view key) const;
  template <typename T>
  const T& typed(std::string_view key, const char* type_name) const;

  std::string table_;
  std::string base_dir_;
  std::string file_;
  std::map<std::string, Entry> entries_;
};

// Resolves `path` against `base_dir` unless it is absolute.
std::string resolve_path(const std::string& base_dir, const std::string& path);

}  // namespace nasctl
