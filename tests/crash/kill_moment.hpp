// Running one nasctl command and killing it with SIGKILL at a chosen moment:
// a point in time after its start, or the instant it creates the n-th
// temporary of an atomic write ("<file>.tmp-XXXXXX") in a folder, i.e. in
// the middle of writing an output. The moment only decides where the kill
// lands; nothing the harness asserts depends on it.
#pragma once

#include <functional>
#include <random>
#include <string>
#include <vector>

namespace nasctl::crash {

struct KillMoment {
  enum class Kind { AtTime, AtWrite };
  Kind kind = Kind::AtTime;
  double seconds = 0.0;    // AtTime: after the start
  int write_number = 1;    // AtWrite: the n-th temporary created in `watched`
  std::string describe() const;
};

struct KillOutcome {
  bool killed = false;         // false: it exited before the moment came
  int exit_code = -1;          // when it exited by itself
  double at_seconds = 0.0;     // when it was killed or exited, after the start
  std::vector<std::string> temporaries_left;  // ".tmp-" files it left in `watched`
};

// Starts `nasctl args...` (stdout/stderr to `log_prefix`.out/.err) and kills
// it at `moment`. `watched` must exist: the folder whose atomic writes count
// (and are looked at after the kill).
KillOutcome run_until(const std::vector<std::string>& args, const std::string& watched, const KillMoment& moment,
                      const std::string& log_prefix);

// Runs to the end without a kill; counts the temporaries created in
// `watched` (the number of atomic writes, the range of AtWrite moments).
struct WholeRun {
  int exit_code = -1;
  double seconds = 0.0;
  int writes = 0;
};
WholeRun run_whole(const std::vector<std::string>& args, const std::string& watched, const std::string& log_prefix);

// The kills of one trial: `kills` attempts, each running the command
// `args_now()` gives at that point (what a user would type: a resume once
// there is something to resume), killed at a moment drawn from `rng` (for
// `at_writes` the n-th atomic write in `watched`, n uniform over the
// uninterrupted run's `writes`, else a time uniform over its `seconds`),
// then checked by `check_after_kill`. Logs go to <trial_dir>/attempt-<k>.
struct Attempts {
  std::vector<KillMoment> moments;
  std::vector<KillOutcome> outcomes;
  std::vector<std::string> problems;  // an attempt that failed by itself, or "after kill k: ..." from the check
};
Attempts kill_repeatedly(int kills, bool at_writes, double seconds, int writes, std::mt19937_64& rng,
                         const std::function<std::vector<std::string>()>& args_now, const std::string& watched,
                         const std::string& trial_dir, const std::function<std::vector<std::string>()>& check_after_kill);

// The ".tmp-" files in a folder now.
std::vector<std::string> temporaries_in(const std::string& folder);

}  // namespace nasctl::crash
