// What else runs on this machine, for the noise warning: /proc/loadavg and
// the busiest other process over a tenth of a second (/proc/<pid>/stat).
#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "nasctl/torch/sampling.hpp"

namespace nasctl::libtorch {

namespace {

struct ProcessTime {
  std::string name;
  double ticks = 0;
};

// utime + stime of every other process, by pid, from /proc/<pid>/stat.
std::map<int, ProcessTime> process_times() {
  std::map<int, ProcessTime> out;
  DIR* dir = ::opendir("/proc");
  if (!dir) return out;
  const int self = static_cast<int>(::getpid());
  while (const dirent* e = ::readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 0 || pid == self) continue;
    std::ifstream in("/proc/" + std::string(e->d_name) + "/stat");
    std::string text;
    if (!std::getline(in, text)) continue;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so
    // the fields after it start at the last ')'.
    const auto open = text.find('('), close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::istringstream rest(text.substr(close + 1));
    std::string field;
    double utime = 0, stime = 0;
    for (int k = 3; k <= 15 && rest >> field; ++k) {
      if (k == 14) utime = std::atof(field.c_str());
      if (k == 15) stime = std::atof(field.c_str());
    }
    out[static_cast<int>(pid)] = {text.substr(open + 1, close - open - 1), utime + stime};
  }
  ::closedir(dir);
  return out;
}

}  // namespace

std::string machine_load_report() {
  std::string report = "load average ";
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  if (in >> one >> five >> fifteen)
    report += one + " " + five + " " + fifteen;
  else
    report += "unknown";
  report += " on " + std::to_string(std::thread::hardware_concurrency()) + " CPUs";
  const auto before = process_times();
  const auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto after = process_times();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double ticks_per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
  int busiest = -1;
  double most = 0;
  for (const auto& [pid, t] : after) {
    const auto was = before.find(pid);
    if (was == before.end()) continue;
    const double used = t.ticks - was->second.ticks;
    if (used > most) {
      most = used;
      busiest = pid;
    }
  }
  if (busiest < 0 || seconds <= 0 || ticks_per_second <= 0) return report + "; no other process used the CPU";
  char buf[160];
  std::snprintf(buf, sizeof buf, "; busiest other process: %s (pid %d) at %.0f%% of a core",
                after.at(busiest).name.c_str(), busiest, 100.0 * most / ticks_per_second / seconds);
  return report + buf;
}

}  // namespace nasctl::libtorch
