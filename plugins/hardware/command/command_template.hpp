// The user's command with {model}, {arch} and {batch} placeholders, in one
// of two forms:
//   command = ["bench", "--graph", "{model}"]   an argv: run without a shell,
//       each placeholder replaced inside its argument as is (an architecture
//       string full of ';' and ',' can never become shell syntax);
//   shell_command = "adb push {model} /data/local/tmp/m.pt && adb shell ..."
//       one line run by /bin/sh -c, each placeholder replaced by a
//       single-quoted shell word (embedded quotes escaped as '\'').
// ({{ and }} write literal braces.)
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nasctl::hardware::command {

using Substitutions = std::map<std::string, std::string>;  // "model" -> "/tmp/.../m.pt"

// The placeholder names a template may use.
const std::vector<std::string>& placeholder_names();

// Throws the message (without prefix) of the first problem: an unknown
// placeholder, an unclosed '{'. Returns "" when the text is fine.
std::string template_problem(const std::string& text);

// Replaces each placeholder by its value, passed through `quote`.
std::string substitute(const std::string& text, const Substitutions& values, bool shell_quote);

// 'text' as one POSIX shell word.
std::string shell_quote(const std::string& text);

class CommandTemplate {
 public:
  // Exactly one of argv (non-empty) or shell (non-empty) is used.
  static CommandTemplate from_argv(std::vector<std::string> argv);
  static CommandTemplate from_shell(std::string line);

  std::vector<std::string> expand(const Substitutions& values) const;
  // The template as configured, for run.json and messages.
  std::string text() const;
  bool uses(const std::string& placeholder) const;

 private:
  std::vector<std::string> argv_;
  std::string shell_;
};

}  // namespace nasctl::hardware::command
