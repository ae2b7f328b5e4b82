// Runs the built nasctl binary as a subprocess and captures its exit code,
// stdout and stderr; plus the checks every bad-input test makes.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <sys/types.h>

namespace nasctl::test {

struct CliResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, 0 when it exited
  std::string out;
  std::string err;
  std::string command;  // for messages
  // stderr lines the libraries print by themselves on some machines, not
  // nasctl's (e.g. OpenBLAS's "OpenBLAS : Your OS does not support AVX512VL
  // ..." when it falls back to other kernels); left out of `err`.
  std::string library_notices;
};

// `err` without the lines that start with a library's notice prefix; those
// are appended to `notices`.
std::string without_library_notices(const std::string& err, std::string& notices);

// Runs `nasctl args...` in `cwd` (the current folder when empty) with
// NAS_PLUGIN_PATH removed from the environment, and waits for it; kills it
// after `timeout_seconds`. A non-zero `max_file_bytes` limits the size of
// every file it writes (RLIMIT_FSIZE, SIGXFSZ ignored: writes past the limit
// fail with EFBIG, as on a full disk).
CliResult run_nasctl(const std::vector<std::string>& args, const std::string& cwd = "", double timeout_seconds = 60,
                     std::size_t max_file_bytes = 0);

// Starts nasctl without waiting; stdout and stderr go to the given files.
pid_t spawn_nasctl(const std::vector<std::string>& args, const std::string& out_file, const std::string& err_file);

// Waits for a spawned process; returns its CliResult (output not captured).
CliResult wait_for(pid_t pid);

// Number of '\n' in a file (0 when it does not exist).
std::size_t count_lines(const std::string& path);

// A log line as nasctl's logger formats it: "[hh:mm:ss] level message".
bool is_log_line(const std::string& line);
// Whether any line of `text` is one.
bool has_log_line(const std::string& text);

// nasctl's error line: the last line of stderr (without its newline). Log
// lines (logs go to stderr too) may come before it, nothing else may:
// `before_is_log` says whether every earlier line is a "[hh:mm:ss] level"
// log line.
std::string error_line(const std::string& err, bool& before_is_log);

}  // namespace nasctl::test

// A user error: exit code 2 (never a crash or an internal error), stderr ends
// with exactly one line "nasctl: error: ..." (only log lines before it), and
// that line contains each of the parts.
#define CHECK_USER_ERROR(result, ...)                                                          \
  do {                                                                                         \
    const ::nasctl::test::CliResult& r_ = (result);                                            \
    INFO("command: " << r_.command);                                                           \
    INFO("stderr: " << r_.err);                                                                \
    INFO("stdout: " << r_.out);                                                                \
    CHECK(r_.signal == 0);                                                                     \
    CHECK(r_.exit_code == 2);                                                                  \
    bool only_logs_before_ = false;                                                            \
    const std::string line_ = ::nasctl::test::error_line(r_.err, only_logs_before_);           \
    CHECK(line_.rfind("nasctl: error: ", 0) == 0);                                             \
    CHECK(only_logs_before_);                                                                  \
    CHECK((!r_.err.empty() && r_.err.back() == '\n'));                                         \
    for (const std::string& part_ : std::vector<std::string>{__VA_ARGS__})                     \
      CHECK_MESSAGE(line_.find(part_) != std::string::npos, "missing: " << part_);             \
  } while (false)
