// Running one external command with a deadline: posix_spawn (safe in a
// multi-threaded process, unlike fork), no shell, stdin from /dev/null,
// stdout and stderr captured through pipes. The command runs in its own
// process group, so a timeout kills everything it started (an `adb` or
// `ssh` client and whatever they spawned), not just the first process.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nasctl::hardware::command {

struct ProcessOptions {
  double timeout_s = 60.0;
  // Output kept per stream; beyond it the head is dropped (the tail is what
  // explains a failure), and `truncated` is set.
  std::size_t max_output_bytes = 1 << 20;
};

struct ProcessResult {
  bool started = false;    // false: the program could not be started (see start_error)
  std::string start_error;
  bool timed_out = false;  // killed at the deadline
  bool exited = false;     // exited normally (exit_code valid)
  int exit_code = -1;
  int signal = 0;          // the signal that ended it, when not exited
  double seconds = 0.0;    // wall time until it ended or was killed
  std::string out;         // stdout
  std::string err;         // stderr
  bool truncated = false;

  bool ok() const { return started && exited && !timed_out && exit_code == 0; }
  // "exit code 3", "killed by signal 9", "timed out after 5 s", "could not start: ..."
  std::string status_text() const;
};

// argv[0] is looked up in PATH. Never throws for a failing command: the
// result says what happened. Throws nasctl::Error only when the pipes or the
// spawn attributes cannot be created (the process is out of resources).
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options);

// The last `lines` non-empty lines of text, joined with " | ", at most
// `max_chars` characters (cut at the front): output for one-line errors.
std::string last_lines(const std::string& text, int lines = 5, std::size_t max_chars = 400);

}  // namespace nasctl::hardware::command
