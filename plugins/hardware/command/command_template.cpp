#include "command_template.hpp"

#include <algorithm>

namespace nasctl::hardware::command {

namespace {

// Calls on_text(chunk) for literal text and on_placeholder(name) for each
// {name}; returns a problem description, or "".
template <typename Text, typename Placeholder>
std::string scan(const std::string& s, Text on_text, Placeholder on_placeholder) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if ((c == '{' || c == '}') && i + 1 < s.size() && s[i + 1] == c) {
      on_text(std::string(1, c));
      i += 2;
      continue;
    }
    if (c == '}') return "a '}' at position " + std::to_string(i) + " closes nothing (write '}}' for a literal brace)";
    if (c != '{') {
      on_text(std::string(1, c));
      ++i;
      continue;
    }
    const std::size_t close = s.find('}', i);
    if (close == std::string::npos)
      return "'{' at position " + std::to_string(i) + " is never closed (write '{{' for a literal brace)";
    const std::string name = s.substr(i + 1, close - i - 1);
    const auto& names = placeholder_names();
    if (std::find(names.begin(), names.end(), name) == names.end())
      return "unknown placeholder '{" + name + "}' (known: {model}, {arch}, {batch}, {rank}, {local_rank})";
    on_placeholder(name);
    i = close + 1;
  }
  return "";
}

}  // namespace

const std::vector<std::string>& placeholder_names() {
  // {rank} and {local_rank}: the MPI rank evaluating (NASCTL_RANK and
  // NASCTL_LOCAL_RANK, set by nasctl search under mpirun/srun; 0 otherwise),
  // to pick one device per rank (docs/distributed.md).
  static const std::vector<std::string> names{"model", "arch", "batch", "rank", "local_rank"};
  return names;
}

std::string template_problem(const std::string& text) {
  return scan(text, [](const std::string&) {}, [](const std::string&) {});
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string substitute(const std::string& text, const Substitutions& values, bool quote) {
  std::string out;
  scan(
      text, [&](const std::string& chunk) { out += chunk; },
      [&](const std::string& name) {
        const auto it = values.find(name);
        const std::string value = it == values.end() ? std::string() : it->second;
        out += quote ? shell_quote(value) : value;
      });
  return out;
}

CommandTemplate CommandTemplate::from_argv(std::vector<std::string> argv) {
  CommandTemplate t;
  t.argv_ = std::move(argv);
  return t;
}

CommandTemplate CommandTemplate::from_shell(std::string line) {
  CommandTemplate t;
  t.shell_ = std::move(line);
  return t;
}

std::vector<std::string> CommandTemplate::expand(const Substitutions& values) const {
  if (!shell_.empty()) return {"/bin/sh", "-c", substitute(shell_, values, true)};
  std::vector<std::string> argv;
  for (const auto& arg : argv_) argv.push_back(substitute(arg, values, false));
  return argv;
}

std::string CommandTemplate::text() const {
  if (!shell_.empty()) return shell_;
  std::string s;
  for (const auto& arg : argv_) s += (s.empty() ? "" : " ") + (arg.find_first_of(" \t'\"") == std::string::npos ? arg : shell_quote(arg));
  return s;
}

bool CommandTemplate::uses(const std::string& placeholder) const {
  bool found = false;
  auto check = [&](const std::string& text) {
    scan(text, [](const std::string&) {}, [&](const std::string& name) { found = found || name == placeholder; });
  };
  if (!shell_.empty()) check(shell_);
  for (const auto& arg : argv_) check(arg);
  return found;
}

}  // namespace nasctl::hardware::command
