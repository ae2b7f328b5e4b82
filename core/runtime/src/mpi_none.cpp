// MpiJob without MPI (built with NASCTL_MPI=OFF or without libopenmpi-dev):
// the program runs as always; started by a launcher it says MPI support
// was not built (core/cli/command_search.cpp asks mpi_built() first).
#include "nasctl/runtime/mpi.hpp"

namespace nasctl::runtime {

namespace {

[[noreturn]] void not_built() {
  throw Error("this nasctl was built without MPI support, so it cannot evaluate on several ranks; fix: install "
              "libopenmpi-dev and rebuild with -DNASCTL_MPI=ON, or run nasctl search without mpirun/srun");
}

}  // namespace

bool mpi_built() { return false; }

MpiJob::MpiJob() { not_built(); }
MpiJob::~MpiJob() = default;
std::vector<RankInfo> MpiJob::agree(const RankFingerprint&) { not_built(); }
std::unique_ptr<Evaluator> MpiJob::evaluator(const std::atomic<bool>*, const std::string&) { not_built(); }
void MpiJob::dispatch(const std::vector<EvaluationRecord*>&, const std::function<void(EvaluationRecord&)>&) { not_built(); }
void MpiJob::stop_workers() {}
void MpiJob::serve(Session&) { not_built(); }

}  // namespace nasctl::runtime
