#include "nasctl/config.hpp"

#include <cstdlib>
#include <sstream>

#include "nasctl/error.hpp"

namespace nasctl {

const char* to_string(ConfigType type) {
  switch (type) {
    case ConfigType::Bool: return "bool";
    case ConfigType::Int: return "integer";
    case ConfigType::Float: return "float";
    case ConfigType::String: return "string";
    case ConfigType::Path: return "path";
    case ConfigType::StringList: return "list of strings";
    case ConfigType::FloatList: return "list of floats";
    case ConfigType::IntList: return "list of integers";
    case ConfigType::StringTable: return "table of strings";
  }
  return "unknown";
}

namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string number_text(double v) {
  // Shortest of 15 or 17 significant digits that reads back exactly.
  std::ostringstream os;
  os.precision(15);
  os << v;
  if (std::stod(os.str()) != v) {
    os.str("");
    os.precision(17);
    os << v;
  }
  std::string s = os.str();
  // TOML needs a float to look like one.
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

template <typename T, typename F>
std::string list_text(const std::vector<T>& items, F&& one) {
  std::string s = "[";
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + one(items[i]);
  return s + "]";
}

}  // namespace

std::string to_toml(const ConfigValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return number_text(d); }
    std::string operator()(const std::string& s) const { return quoted(s); }
    std::string operator()(const std::vector<std::string>& v) const { return list_text(v, quoted); }
    std::string operator()(const std::vector<double>& v) const { return list_text(v, number_text); }
    std::string operator()(const std::vector<int64_t>& v) const {
      return list_text(v, [](int64_t i) { return std::to_string(i); });
    }
    std::string operator()(const StringTable& t) const {
      std::string s = "{";
      bool first = true;
      for (const auto& [k, v] : t) {
        s += (first ? " " : ", ") + quoted(k) + " = " + quoted(v);
        first = false;
      }
      return s + (first ? "}" : " }");
    }
  };
  return std::visit(Visitor{}, value);
}

ConfigKey ConfigKey::boolean(std::string name, bool def, std::string doc) {
  return {std::move(name), ConfigType::Bool, def, std::move(doc)};
}
ConfigKey ConfigKey::integer(std::string name, int64_t def, std::string doc) {
  return {std::move(name), ConfigType::Int, def, std::move(doc)};
}
ConfigKey ConfigKey::real(std::string name, double def, std::string doc) {
  return {std::move(name), ConfigType::Float, def, std::move(doc)};
}
ConfigKey ConfigKey::string(std::string name, std::string def, std::string doc) {
  return {std::move(name), ConfigType::String, std::move(def), std::move(doc)};
}
ConfigKey ConfigKey::choice(std::string name, std::string def, std::vector<std::string> allowed,
                            std::string doc) {
  ConfigKey k{std::move(name), ConfigType::String, std::move(def), std::move(doc)};
  k.allowed = std::move(allowed);
  return k;
}
ConfigKey ConfigKey::path(std::string name, std::string doc) {
  return needed(std::move(name), ConfigType::Path, std::move(doc));
}
ConfigKey ConfigKey::list(std::string name, ConfigType type, ConfigValue def, std::string doc) {
  return {std::move(name), type, std::move(def), std::move(doc)};
}
ConfigKey ConfigKey::table(std::string name, std::string doc) {
  return optional(std::move(name), ConfigType::StringTable, std::move(doc));
}
ConfigKey ConfigKey::needed(std::string name, ConfigType type, std::string doc) {
  ConfigKey k{std::move(name), type, std::monostate{}, std::move(doc)};
  k.required = true;
  return k;
}
ConfigKey ConfigKey::optional(std::string name, ConfigType type, std::string doc) {
  return {std::move(name), type, std::monostate{}, std::move(doc)};
}
ConfigKey ConfigKey::at_least(double v) && {
  min = v;
  return std::move(*this);
}
ConfigKey ConfigKey::at_most(double v) && {
  max = v;
  return std::move(*this);
}

std::string resolve_path(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  if (path[0] == '~' && (path.size() == 1 || path[1] == '/')) {
    if (const char* home = std::getenv("HOME")) return std::string(home) + path.substr(1);
  }
  return base_dir.back() == '/' ? base_dir + path : base_dir + "/" + path;
}

PluginConfig::PluginConfig(std::string table, std::string base_dir, std::string file,
                           std::map<std::string, Entry> entries)
    : table_(std::move(table)), base_dir_(std::move(base_dir)), file_(std::move(file)),
      entries_(std::move(entries)) {}

bool PluginConfig::has(std::string_view key) const {
  auto it = entries_.find(std::string(key));
  return it != entries_.end() && !std::holds_alternative<std::monostate>(it->second.value);
}

const PluginConfig::Entry& PluginConfig::entry(std::string_view key) const {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || std::holds_alternative<std::monostate>(it->second.value))
    fail(key, "has no value; set it in the config (see `nasctl plugins show`)");
  return it->second;
}

template <typename T>
const T& PluginConfig::typed(std::string_view key, const char* type_name) const {
  const Entry& e = entry(key);
  if (const T* v = std::get_if<T>(&e.value)) return *v;
  fail(key, std::string("is not a ") + type_name + " (the plugin read it with the wrong type)");
}

bool PluginConfig::get_bool(std::string_view key) const { return typed<bool>(key, "bool"); }
int64_t PluginConfig::get_int(std::string_view key) const { return typed<int64_t>(key, "integer"); }
double PluginConfig::get_double(std::string_view key) const {
  const Entry& e = entry(key);
  if (const auto* i = std::get_if<int64_t>(&e.value)) return static_cast<double>(*i);
  return typed<double>(key, "float");
}
const std::string& PluginConfig::get_string(std::string_view key) const {
  return typed<std::string>(key, "string");
}
std::string PluginConfig::get_path(std::string_view key) const {
  return resolve_path(base_dir_, get_string(key));
}
const std::vector<std::string>& PluginConfig::get_strings(std::string_view key) const {
  return typed<std::vector<std::string>>(key, "list of strings");
}
std::vector<std::string> PluginConfig::get_paths(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& p : get_strings(key)) out.push_back(resolve_path(base_dir_, p));
  return out;
}
std::vector<double> PluginConfig::get_doubles(std::string_view key) const {
  const Entry& e = entry(key);
  if (const auto* ints = std::get_if<std::vector<int64_t>>(&e.value))
    return std::vector<double>(ints->begin(), ints->end());
  return typed<std::vector<double>>(key, "list of floats");
}
const std::vector<int64_t>& PluginConfig::get_ints(std::string_view key) const {
  return typed<std::vector<int64_t>>(key, "list of integers");
}
const StringTable& PluginConfig::get_table(std::string_view key) const {
  return typed<StringTable>(key, "table of strings");
}

void PluginConfig::fail(std::string_view key, std::string_view message) const {
  std::string where = file_;
  auto it = entries_.find(std::string(key));
  if (it != entries_.end() && !it->second.where.empty()) where = it->second.where;
  std::string path = table_.empty() ? std::string(key) : table_ + "." + std::string(key);
  throw ConfigError((where.empty() ? std::string() : where + ": ") + "key '" + path + "': " +
                    std::string(message));
}

}  // namespace nasctl
