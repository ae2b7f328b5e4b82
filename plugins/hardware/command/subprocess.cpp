#include "subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>

#include "nasctl/error.hpp"

extern char** environ;

namespace nasctl::hardware::command {

namespace {

using Clock = std::chrono::steady_clock;

// Closes what it owns; pipes must not leak into later children.
struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(std::string("command: cannot create a pipe (") + std::strerror(errno) +
                "); fix: the process is out of file descriptors: raise `ulimit -n`");
  read_end.fd = fds[0];
  write_end.fd = fds[1];
}

void append_capped(std::string& buffer, const char* data, std::size_t n, std::size_t cap, bool& truncated) {
  buffer.append(data, n);
  if (buffer.size() <= cap) return;
  buffer.erase(0, buffer.size() - cap);
  truncated = true;
}

// Ends the whole group: SIGTERM first so an adb/ssh client can hang up
// cleanly, SIGKILL shortly after for anything that ignored it.
void kill_group(pid_t group) {
  ::kill(-group, SIGTERM);
  const auto until = Clock::now() + std::chrono::milliseconds(200);
  while (Clock::now() < until) {
    if (::kill(-group, 0) != 0) return;  // nothing left
    ::usleep(10000);
  }
  ::kill(-group, SIGKILL);
}

std::string seconds_text(double s) {
  std::ostringstream out;
  out.precision(3);
  out << s;
  return out.str();
}

}  // namespace

std::string ProcessResult::status_text() const {
  if (!started) return "could not start (" + start_error + ")";
  if (timed_out) return "timed out after " + seconds_text(seconds) + " s (killed)";
  if (exited) return "exit code " + std::to_string(exit_code);
  return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult result;
  if (argv.empty()) {
    result.start_error = "empty command";
    return result;
  }
  Fd out_read, out_write, err_read, err_write;
  make_pipe(out_read, out_write);
  make_pipe(err_read, err_write);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, STDERR_FILENO);
  // A new process group led by the child, so the group can be killed whole.
  posix_spawnattr_setpgroup(&attr, 0);
  // Signals the parent ignores (e.g. SIGPIPE) are reset to default in the child.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  // A child inherits the calling thread's blocked signals; start it with
  // none blocked so that SIGTERM at the deadline reaches it.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const auto start = Clock::now();
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  out_write.reset();
  err_write.reset();
  if (rc != 0) {
    result.start_error = "'" + argv[0] + "': " + std::strerror(rc);
    return result;
  }
  result.started = true;

  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_s));
  pollfd fds[2] = {{out_read.fd, POLLIN, 0}, {err_read.fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_streams = 2;
  int status = 0;
  bool reaped = false;
  char buffer[65536];
  while (true) {
    if (!reaped) {
      const pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) reaped = true;
    }
    // Once the command itself has ended, a background process it left holding
    // the pipes must not keep us waiting: drain what is there and stop.
    const auto now = Clock::now();
    if (now >= deadline && !reaped) {
      result.timed_out = true;
      kill_group(pid);
      ::waitpid(pid, &status, 0);
      reaped = true;
      break;
    }
    if (open_streams == 0 && reaped) break;
    int wait_ms = 20;
    if (!reaped) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
      wait_ms = static_cast<int>(std::max<long long>(0, std::min<long long>(left, 50)));
    }
    const int ready = ::poll(fds, 2, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    bool got_data = false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        append_capped(*sinks[i], buffer, static_cast<std::size_t>(n), options.max_output_bytes, result.truncated);
        got_data = true;
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        fds[i].fd = -1;
        --open_streams;
      }
    }
    if (reaped && !got_data && open_streams > 0) {
      // The command ended but something it started still holds the pipes.
      kill_group(pid);
      break;
    }
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!result.timed_out) {
    // Clean up anything the command left running in its group.
    ::kill(-pid, SIGKILL);
  }
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  if (result.timed_out) result.exited = false;
  return result;
}

std::string last_lines(const std::string& text, int lines, std::size_t max_chars) {
  std::vector<std::string> kept;
  std::size_t end = text.size();
  while (end > 0 && static_cast<int>(kept.size()) < lines) {
    const std::size_t begin = text.rfind('\n', end - 1);
    const std::size_t from = begin == std::string::npos ? 0 : begin + 1;
    std::string line = text.substr(from, end - from);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (!line.empty()) kept.push_back(line);
    if (begin == std::string::npos) break;
    end = begin;
  }
  std::string joined;
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) joined += (joined.empty() ? "" : " | ") + *it;
  if (joined.size() > max_chars) joined = "..." + joined.substr(joined.size() - max_chars);
  return joined;
}

}  // namespace nasctl::hardware::command
