#include "key_reference.hpp"

#include <cstdio>
#include <variant>

namespace nasctl::cli {

namespace {

std::string markdown_cell(std::string text) {
  for (std::size_t pos = text.find('|'); pos != std::string::npos; pos = text.find('|', pos + 2)) text.replace(pos, 1, "\\|");
  return text;
}

}  // namespace

std::string bound_text(double v) {
  char buf[32];
  if (v == static_cast<double>(static_cast<long long>(v))) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  else std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string markdown_key_table(const std::vector<ConfigKey>& keys) {
  std::string out = "| key | type | default | description |\n| --- | --- | --- | --- |\n";
  for (const auto& k : keys) {
    const std::string def = k.required ? "required"
                            : std::holds_alternative<std::monostate>(k.default_value) ? "(unset)"
                                                                                        : "`" + to_toml(k.default_value) + "`";
    std::string doc = k.doc;
    if (!k.allowed.empty()) {
      std::string options;
      for (const auto& a : k.allowed) options += (options.empty() ? "" : ", ") + ("`" + a + "`");
      doc += "; one of " + options;
    }
    if (k.min) doc += "; min " + bound_text(*k.min);
    if (k.max) doc += "; max " + bound_text(*k.max);
    out += "| `" + k.name + "` | " + to_string(k.type) + " | " + markdown_cell(def) + " | " + markdown_cell(doc) + " |\n";
  }
  return out;
}

}  // namespace nasctl::cli
