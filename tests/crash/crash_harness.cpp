// nasctl-crash-harness: kills `nasctl search` (random, nsga2, evolution,
// linas), `nasctl lut build` and `nasctl train` with SIGKILL at seeded random moments, at
// times over a run's wall time and in the middle of atomic output writes,
// restarts each as a user would, and checks that nothing was lost,
// duplicated or left behind and that the results equal an uninterrupted run.
// Prints one line per trial and a summary; exits 0 when every trial holds,
// 1 when one does not, 2 on a bad argument. docs/results.md has the full run.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "lut_trial.hpp"
#include "search_trial.hpp"
#include "train_trial.hpp"

namespace fs = std::filesystem;
using namespace nasctl::crash;

namespace {

struct Options {
  int trials = 20;
  int lut_trials = 0;
  int train_trials = 0;
  int max_kills = 3;
  unsigned long long seed = 1;
  double scale = 1.0;
  std::string work;
  bool keep = false;
};

[[noreturn]] void usage_error(const std::string& what) {
  std::fprintf(stderr,
               "nasctl-crash-harness: error: %s; fix: nasctl-crash-harness [--trials N] [--lut-trials N] [--train-trials N] "
               "[--max-kills N] "
               "[--seed S] [--scale X] [--work DIR] [--keep]\n",
               what.c_str());
  std::exit(2);
}

double number_arg(const std::string& flag, const char* text, double low) {
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(v >= low)) usage_error(flag + " '" + text + "': expected a number >= " + std::to_string(low));
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--keep") {
      o.keep = true;
      continue;
    }
    if (i + 1 >= argc) usage_error("unknown option or missing value: " + flag);
    const char* value = argv[++i];
    if (flag == "--trials") o.trials = static_cast<int>(number_arg(flag, value, 0));
    else if (flag == "--lut-trials") o.lut_trials = static_cast<int>(number_arg(flag, value, 0));
    else if (flag == "--train-trials") o.train_trials = static_cast<int>(number_arg(flag, value, 0));
    else if (flag == "--max-kills") o.max_kills = static_cast<int>(number_arg(flag, value, 1));
    else if (flag == "--seed") o.seed = static_cast<unsigned long long>(number_arg(flag, value, 0));
    else if (flag == "--scale") o.scale = number_arg(flag, value, 0.001);
    else if (flag == "--work") o.work = value;
    else usage_error("unknown option " + flag);
  }
  if (o.work.empty()) o.work = (fs::path(NASCTL_BUILD_DIR) / "tests/tmp" / ("crash-" + std::to_string(::getpid()))).string();
  return o;
}

// Totals over all trials, for the summary line.
struct Tally {
  int trials = 0, failed = 0, kills = 0, finished_first = 0, mid_write = 0;
};

std::string describe(const std::vector<KillMoment>& moments, const std::vector<KillOutcome>& outcomes) {
  std::string s;
  for (std::size_t k = 0; k < moments.size(); ++k) {
    char buf[160];
    const auto& o = outcomes[k];
    if (o.killed)
      std::snprintf(buf, sizeof buf, "%s%s: killed at %.3f s%s", k ? "; " : "", moments[k].describe().c_str(), o.at_seconds,
                    o.temporaries_left.empty() ? "" : ", mid-write");
    else
      std::snprintf(buf, sizeof buf, "%s%s: exited %d first", k ? "; " : "", moments[k].describe().c_str(), o.exit_code);
    s += buf;
  }
  return s;
}

void count(Tally& t, const std::vector<KillOutcome>& outcomes, const std::vector<std::string>& problems) {
  ++t.trials;
  if (!problems.empty()) ++t.failed;
  for (const auto& o : outcomes) {
    if (!o.killed) {
      ++t.finished_first;
      continue;
    }
    ++t.kills;
    if (!o.temporaries_left.empty()) ++t.mid_write;
  }
}

void print_problems(const std::vector<std::string>& problems) {
  for (const auto& p : problems) std::printf("    FAILED: %s\n", p.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  fs::create_directories(o.work);
  std::mt19937_64 rng(o.seed);
  std::uniform_int_distribution<int> how_many(1, o.max_kills);
  Tally tally;
  try {
    const auto setups = strategies(o.scale);
    std::vector<Reference> references;
    std::vector<std::string> configs;
    for (const auto& s : setups) {
      if (static_cast<int>(configs.size()) >= o.trials) break;  // no trial of this strategy
      configs.push_back((fs::path(o.work) / ("config-" + s.name + ".toml")).string());
      std::ofstream(configs.back()) << config_text(s, NASCTL_DATA_DIR);
      references.push_back(run_reference(s, configs.back(), o.work));
      std::printf("reference %-9s %zu evaluations in %.2f s, %d atomic writes\n", s.name.c_str(), s.evaluations,
                  references.back().seconds, references.back().writes);
    }
    for (int i = 0; i < o.trials; ++i) {
      const std::size_t s = static_cast<std::size_t>(i) % setups.size();
      const bool at_writes = (static_cast<std::size_t>(i) / setups.size()) % 2 == 1;
      const std::string dir = (fs::path(o.work) / ("trial-" + std::to_string(i))).string();
      const TrialResult r = run_search_trial(setups[s], configs[s], references[s], dir, rng, at_writes, how_many(rng));
      count(tally, r.outcomes, r.problems);
      std::printf("trial %2d %-9s %s -> %s\n", i, r.strategy.c_str(), describe(r.moments, r.outcomes).c_str(),
                  r.problems.empty() ? "ok" : "FAILED");
      print_problems(r.problems);
      std::fflush(stdout);
      if (r.problems.empty() && !o.keep) fs::remove_all(dir);
    }
    if (o.lut_trials > 0) {
      const std::string config = (fs::path(o.work) / "config-lut.toml").string();
      std::ofstream(config) << lut_config_text();
      const LutReference ref = run_lut_reference(config, o.work);
      std::printf("reference lut build: %zu signatures in %.2f s, %d atomic writes\n", ref.keys.size(), ref.seconds,
                  ref.writes);
      for (int i = 0; i < o.lut_trials; ++i) {
        const std::string dir = (fs::path(o.work) / ("lut-trial-" + std::to_string(i))).string();
        const LutTrialResult r = run_lut_trial(config, ref, dir, rng, i % 2 == 1, how_many(rng));
        count(tally, r.outcomes, r.problems);
        std::printf("lut trial %2d %s -> %s\n", i, describe(r.moments, r.outcomes).c_str(),
                    r.problems.empty() ? "ok" : "FAILED");
        print_problems(r.problems);
        std::fflush(stdout);
        if (r.problems.empty() && !o.keep) fs::remove_all(dir);
      }
    }
    if (o.train_trials > 0) {
      const std::string config = (fs::path(o.work) / "config-train.toml").string();
      std::ofstream(config) << train_config_text();
      const TrainReference ref = run_train_reference(config, o.work);
      std::printf("reference training: %.2f s, %d atomic writes\n", ref.seconds, ref.writes);
      for (int i = 0; i < o.train_trials; ++i) {
        const std::string dir = (fs::path(o.work) / ("train-trial-" + std::to_string(i))).string();
        const TrainTrialResult r = run_train_trial(config, ref, dir, rng, i % 2 == 1, how_many(rng));
        count(tally, r.outcomes, r.problems);
        std::printf("train trial %2d %s -> %s\n", i, describe(r.moments, r.outcomes).c_str(),
                    r.problems.empty() ? "ok" : "FAILED");
        print_problems(r.problems);
        std::fflush(stdout);
        if (r.problems.empty() && !o.keep) fs::remove_all(dir);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nasctl-crash-harness: error: %s\n", e.what());
    return 1;
  }
  std::printf("%d trials, %d failed; %d kills landed (%d in the middle of an atomic write), %d runs ended before their kill moment\n",
              tally.trials, tally.failed, tally.kills, tally.mid_write, tally.finished_first);
  if (tally.failed == 0 && !o.keep) fs::remove_all(o.work);
  return tally.failed == 0 ? 0 : 1;
}
