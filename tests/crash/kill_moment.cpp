#include "kill_moment.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "cli_runner.hpp"

namespace nasctl::crash {

namespace {

using Clock = std::chrono::steady_clock;

bool is_temporary_name(const std::string& name) { return name.find(".tmp-") != std::string::npos; }

// Counts the temporaries created in a folder, from inotify's creation events:
// a polling look at the folder would miss a write that starts and renames
// between two looks.
class WriteWatch {
 public:
  explicit WriteWatch(const std::string& folder) {
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0 || ::inotify_add_watch(fd_, folder.c_str(), IN_CREATE) < 0)
      throw std::runtime_error(folder + ": cannot watch the folder with inotify");
  }
  ~WriteWatch() { ::close(fd_); }
  WriteWatch(const WriteWatch&) = delete;
  WriteWatch& operator=(const WriteWatch&) = delete;

  // Waits up to `milliseconds` for events; returns the number of temporaries
  // created so far.
  int poll_writes(int milliseconds) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, milliseconds) <= 0) return writes_;
    alignas(inotify_event) char buf[16384];
    for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) > 0;) {
      for (char* at = buf; at < buf + n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(at);
        if (e->len > 0 && is_temporary_name(e->name)) ++writes_;
        at += sizeof(inotify_event) + e->len;
      }
    }
    return writes_;
  }

 private:
  int fd_ = -1;
  int writes_ = 0;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Whether `pid` has ended; fills its exit code.
bool ended(pid_t pid, int& exit_code) {
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) return false;
  exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return true;
}

}  // namespace

std::string KillMoment::describe() const {
  char buf[64];
  if (kind == Kind::AtTime) std::snprintf(buf, sizeof buf, "at %.3f s", seconds);
  else std::snprintf(buf, sizeof buf, "at write #%d", write_number);
  return buf;
}

std::vector<std::string> temporaries_in(const std::string& folder) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
    if (is_temporary_name(e.path().filename().string())) found.push_back(e.path().filename().string());
  }
  return found;
}

KillOutcome run_until(const std::vector<std::string>& args, const std::string& watched, const KillMoment& moment,
                      const std::string& log_prefix) {
  WriteWatch watch(watched);
  // Left by an earlier kill: not this run's (it may be killed before it
  // removes them).
  const std::vector<std::string> before = temporaries_in(watched);
  const auto start = Clock::now();
  const pid_t pid = test::spawn_nasctl(args, log_prefix + ".out", log_prefix + ".err");
  KillOutcome outcome;
  while (true) {
    if (ended(pid, outcome.exit_code)) {
      outcome.at_seconds = seconds_since(start);
      return outcome;
    }
    // Short waits: a kill should land within a fraction of a millisecond of
    // its moment (an atomic write of a CSV takes a few milliseconds).
    const int writes = watch.poll_writes(moment.kind == KillMoment::Kind::AtWrite ? 1 : 0);
    const bool now = moment.kind == KillMoment::Kind::AtWrite ? writes >= moment.write_number
                                                              : seconds_since(start) >= moment.seconds;
    if (!now) {
      if (moment.kind == KillMoment::Kind::AtTime) ::usleep(100);
      continue;
    }
    ::kill(pid, SIGKILL);
    outcome.at_seconds = seconds_since(start);
    const test::CliResult r = test::wait_for(pid);
    // It may have exited on its own between the last look and the kill.
    outcome.killed = r.signal == SIGKILL;
    outcome.exit_code = r.exit_code;
    for (const std::string& t : temporaries_in(watched)) {
      if (std::find(before.begin(), before.end(), t) == before.end()) outcome.temporaries_left.push_back(t);
    }
    return outcome;
  }
}

WholeRun run_whole(const std::vector<std::string>& args, const std::string& watched, const std::string& log_prefix) {
  WriteWatch watch(watched);
  const auto start = Clock::now();
  const pid_t pid = test::spawn_nasctl(args, log_prefix + ".out", log_prefix + ".err");
  WholeRun run;
  while (!ended(pid, run.exit_code)) watch.poll_writes(1);
  run.seconds = seconds_since(start);
  run.writes = watch.poll_writes(0);
  return run;
}

Attempts kill_repeatedly(int kills, bool at_writes, double seconds, int writes, std::mt19937_64& rng,
                         const std::function<std::vector<std::string>()>& args_now, const std::string& watched,
                         const std::string& trial_dir, const std::function<std::vector<std::string>()>& check_after_kill) {
  Attempts attempts;
  std::uniform_real_distribution<double> any_time(0.0, seconds);
  std::uniform_int_distribution<int> any_write(1, std::max(1, writes));
  for (int k = 0; k < kills; ++k) {
    KillMoment moment;
    moment.kind = at_writes ? KillMoment::Kind::AtWrite : KillMoment::Kind::AtTime;
    if (at_writes) moment.write_number = any_write(rng);
    else moment.seconds = any_time(rng);
    const std::string log = (std::filesystem::path(trial_dir) / ("attempt-" + std::to_string(k))).string();
    const KillOutcome outcome = run_until(args_now(), watched, moment, log);
    attempts.moments.push_back(moment);
    attempts.outcomes.push_back(outcome);
    if (!outcome.killed && outcome.exit_code != 0)
      attempts.problems.push_back("attempt " + std::to_string(k) + " exited " + std::to_string(outcome.exit_code) +
                                  " (see " + log + ".err)");
    for (const auto& p : check_after_kill()) attempts.problems.push_back("after kill " + std::to_string(k) + ": " + p);
  }
  return attempts;
}

}  // namespace nasctl::crash
