#include "cli_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace nasctl::test {

namespace {

std::string command_text(const std::vector<std::string>& args) {
  std::string s = "nasctl";
  for (const auto& a : args) s += " '" + a + "'";
  return s;
}

// The child's environment: ours without NAS_PLUGIN_PATH, so a developer's
// setting cannot add plugins to what the tests expect.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "NAS_PLUGIN_PATH=", 16) == 0) continue;
    env.emplace_back(*e);
  }
  return env;
}

[[noreturn]] void exec_nasctl(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<char*> argv{const_cast<char*>(NASCTL_BIN)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  ::execve(NASCTL_BIN, argv.data(), envp.data());
  ::_exit(127);
}

void fill_status(CliResult& r, int status) {
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
}

}  // namespace

CliResult run_nasctl(const std::vector<std::string>& args, const std::string& cwd, double timeout_seconds,
                     std::size_t max_file_bytes) {
  CliResult r;
  r.command = command_text(args);
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const auto env = child_environment();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    if (max_file_bytes > 0) {
      ::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{max_file_bytes, max_file_bytes};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(126);
    }
    exec_nasctl(args, env);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  bool killed = false;
  while (open_fds > 0) {
    const int ready = ::poll(fds, 2, 100);
    if (ready < 0 && errno == EINTR) continue;
    if (!killed && std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
        continue;
      }
      ::close(fds[i].fd);
      fds[i].fd = -1;
      --open_fds;
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  fill_status(r, status);
  r.err = without_library_notices(r.err, r.library_notices);
  return r;
}

pid_t spawn_nasctl(const std::vector<std::string>& args, const std::string& out_file, const std::string& err_file) {
  const auto env = child_environment();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) ::_exit(126);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    exec_nasctl(args, env);
  }
  return pid;
}

CliResult wait_for(pid_t pid) {
  CliResult r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  fill_status(r, status);
  return r;
}

std::string without_library_notices(const std::string& err, std::string& notices) {
  std::string kept;
  std::size_t begin = 0;
  while (begin < err.size()) {
    std::size_t end = err.find('\n', begin);
    end = end == std::string::npos ? err.size() : end + 1;
    const std::string line = err.substr(begin, end - begin);
    (line.rfind("OpenBLAS", 0) == 0 ? notices : kept) += line;
    begin = end;
  }
  return kept;
}

std::string error_line(const std::string& err, bool& before_is_log) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  before_is_log = true;
  if (lines.empty()) return "";
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) before_is_log = before_is_log && is_log_line(lines[i]);
  return lines.back();
}

bool is_log_line(const std::string& l) {
  return l.size() > 10 && l[0] == '[' && l[3] == ':' && l[6] == ':' && l[9] == ']';
}

bool has_log_line(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (is_log_line(line)) return true;
  }
  return false;
}

std::size_t count_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::size_t n = 0;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) n += buf[i] == '\n';
  }
  return n;
}

}  // namespace nasctl::test
