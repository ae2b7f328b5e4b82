// A test-only hardware plugin for the MPI tests: a deterministic metric of
// the architecture, and faults on demand.
// - key fail_modulo (0: never): throws EvaluationError for candidates whose
//   choices sum to a multiple of it (a worker that throws);
// - environment NASCTL_PROBE_KILL_RANK and NASCTL_PROBE_KILL_AT: the rank
//   named (OMPI_COMM_WORLD_RANK) kills itself with SIGKILL at its n-th
//   evaluation (a worker that dies);
// - environment NASCTL_PROBE_LOG: each evaluation appends "<rank> <arch>\n"
//   to that file (what was evaluated where).
// Built twice, as version 1.0.0 and 1.0.1 (PROBE_VERSION), into two folders.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <string>

#include "nasctl/error.hpp"
#include "nasctl/export.hpp"

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

class MpiProbe : public nasctl::MetricProvider {
 public:
  explicit MpiProbe(const nasctl::PluginContext& ctx) : fail_modulo_(ctx.config.get_int("fail_modulo")) {}

  std::vector<nasctl::MetricInfo> metrics() const override {
    return {{"checksum", "1", "A deterministic function of the architecture's choices"}};
  }

  nasctl::Metrics provide(const nasctl::Candidate& c) override {
    const std::string rank = env("OMPI_COMM_WORLD_RANK");
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++count_;
      if (!rank.empty() && rank == env("NASCTL_PROBE_KILL_RANK") && std::to_string(count_) == env("NASCTL_PROBE_KILL_AT"))
        std::raise(SIGKILL);
      if (const std::string log = env("NASCTL_PROBE_LOG"); !log.empty()) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
        const std::string line = (rank.empty() ? "-" : rank) + " " + c.canonical + "\n";
        if (fd >= 0) {
          (void)!::write(fd, line.data(), line.size());
          ::close(fd);
        }
      }
    }
    const long sum = std::accumulate(c.arch.begin(), c.arch.end(), 0L);
    if (fail_modulo_ > 0 && sum % fail_modulo_ == 0)
      throw nasctl::EvaluationError("probe: refuses choice sum " + std::to_string(sum));
    double checksum = 0.0;
    for (std::size_t i = 0; i < c.arch.size(); ++i) checksum += static_cast<double>(c.arch[i]) / static_cast<double>(i + 3);
    return {{"checksum", checksum}};
  }

 private:
  long fail_modulo_;
  std::mutex mutex_;
  long count_ = 0;
};

nasctl::PluginInfo describe() {
  return {"mpi-probe", PROBE_VERSION, "Test plugin of the MPI tests: a deterministic metric, faults on demand",
          {nasctl::ConfigKey::integer("fail_modulo", 0, "Throw for choice sums divisible by this (0: never)").at_least(0)}};
}

}  // namespace

NASCTL_EXPORT_HARDWARE(MpiProbe, describe)
