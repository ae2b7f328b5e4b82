// Text forms of the declarative space: "name=label;vec=label,label,-,...".
// Vectors are comma-separated and '-' marks elements the network does not
// read (as ofa-mobilenetv3 writes unused block slots), so a declarative
// reproduction of a C++ space with its variable names prints that space's
// canonical strings.
#include <cctype>
#include <cstdlib>
#include <string>

#include "declarative_impl.hpp"
#include "nasctl/error.hpp"
#include "nasctl/text.hpp"

namespace nasctl::spaces::declarative {

namespace {

std::string expected_form(const std::vector<Variable>& vars) {
  std::string s;
  for (const Variable& v : vars) {
    std::string choices;
    for (const std::string& l : v.labels) choices += (choices.empty() ? "" : "|") + l;
    if (!s.empty()) s += ';';
    s += v.name + "=<" + (v.count ? std::to_string(v.count) + " of " : "") + choices + (v.count ? ", - where unused" : "") + ">";
  }
  return s;
}

}  // namespace

std::string DeclarativeSpace::to_string(const Architecture& arch) const {
  check(arch);
  const std::vector<char> read = impl_->variables_read_checked(arch);
  std::string s;
  for (const Variable& v : impl_->vars) {
    if (!s.empty()) s += ';';
    s += v.name + "=";
    for (int e = 0; e < v.elements(); ++e) {
      if (e) s += ',';
      const int i = v.base + e;
      s += read[i] ? v.labels[arch[i]] : "-";
    }
  }
  return s;
}

Architecture DeclarativeSpace::parse(std::string_view text) const {
  const std::vector<Variable>& vars = impl_->vars;
  auto fail = [&](const std::string& what) {
    std::string shown;
    for (char c : text.substr(0, 160)) shown += (c == '\n' || c == '\r') ? ' ' : c;
    if (text.size() > 160) shown += "...";
    throw ArchitectureError("architecture '" + shown + "': " + what + "; expected '" + expected_form(vars) +
                            "' (space file " + impl_->file + ")");
  };
  Architecture arch(impl_->decision.size(), 0);
  std::vector<char> dash(arch.size(), 0);
  std::vector<char> seen(vars.size(), 0);
  std::string_view rest = trimmed(text);
  if (rest.empty()) fail("is empty");
  while (true) {
    const std::size_t semi = std::min(rest.find(';'), rest.size());
    const std::string_view item = trimmed(rest.substr(0, semi));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) fail("'" + std::string(item) + "' is not of the form name=values");
    const std::string name(trimmed(item.substr(0, eq)));
    int which = -1;
    for (std::size_t v = 0; v < vars.size(); ++v) {
      if (vars[v].name == name) which = static_cast<int>(v);
    }
    if (which < 0) fail("unknown variable '" + name + "'");
    if (seen[which]) fail("variable '" + name + "' is given twice");
    seen[which] = 1;
    const Variable& var = vars[which];
    std::string_view list = trimmed(item.substr(eq + 1));
    int count = 0;
    while (true) {
      const std::size_t comma = std::min(list.find(','), list.size());
      const std::string token(trimmed(list.substr(0, comma)));
      if (count >= var.elements())
        fail("'" + name + "' has more than " + std::to_string(var.elements()) + " value" + (var.elements() > 1 ? "s" : ""));
      const int i = var.base + count;
      const std::string at = var.count ? name + "[" + std::to_string(count) + "]" : name;
      if (token == "-") {
        dash[i] = 1;
      } else {
        int choice = -1;
        for (int c = 0; c < static_cast<int>(var.labels.size()); ++c) {
          if (var.labels[c] == token) choice = c;
        }
        // Numeric choices also match by value ("3.0" for 3).
        if (choice < 0 && var.numeric && !token.empty()) {
          char* end = nullptr;
          const double x = std::strtod(token.c_str(), &end);
          if (end == token.c_str() + token.size()) {
            for (int c = 0; c < static_cast<int>(var.values.size()); ++c) {
              if (var.values[c] == x) choice = c;
            }
          }
        }
        if (choice < 0) {
          std::string allowed;
          for (const std::string& l : var.labels) allowed += (allowed.empty() ? "" : "|") + l;
          fail(at + " = '" + token + "' is not one of " + allowed);
        }
        arch[i] = choice;
      }
      ++count;
      if (comma == list.size()) break;
      list = list.substr(comma + 1);
    }
    if (count != var.elements())
      fail("'" + name + "' has " + std::to_string(count) + " value" + (count == 1 ? "" : "s") + ", expected " +
           std::to_string(var.elements()));
    if (semi == rest.size()) break;
    rest = rest.substr(semi + 1);
  }
  for (std::size_t v = 0; v < vars.size(); ++v) {
    if (!seen[v]) fail("missing '" + vars[v].name + "='");
  }
  std::vector<char> read;
  try {
    read = impl_->variables_read(arch);
  } catch (const LowerError& e) {
    fail(e.key + ": " + e.what);
  }
  for (std::size_t i = 0; i < arch.size(); ++i) {
    if (dash[i] && read[i])
      fail(impl_->decision[i].name + " is '-' but the network reads it (it is used for these other choices)");
    if (!read[i]) arch[i] = 0;
  }
  return arch;
}

}  // namespace nasctl::spaces::declarative
