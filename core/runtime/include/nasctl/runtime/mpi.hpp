// Distributed evaluation over MPI (docs/distributed.md): `mpirun -np N nasctl
// search` runs the strategy, the deduplication, the journal and every output
// on rank 0 and evaluates candidates on ranks 1..N-1, each with its own
// plugin instances. This header needs no MPI: without NASCTL_MPI the same
// functions exist and say that MPI support was not built.
//
// MPI is initialised only when a launcher started the process (see
// mpi_launcher()); `nasctl search` run by hand never touches MPI.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::runtime {

// Whether this nasctl was built with MPI support (CMake option NASCTL_MPI).
bool mpi_built();

// Which launcher started this process, from its environment alone (no MPI
// call): "OMPI_COMM_WORLD_SIZE=3" (Open MPI's mpirun), "PMIX_RANK=..." (PMIx:
// Open MPI 5, `srun --mpi=pmix`), "PMI_SIZE=..." (PMI-1/2: MPICH's hydra,
// `srun --mpi=pmi2`); "" when none did.
std::string mpi_launcher();

// What a rank is and runs, compared at start-up so that every worker
// evaluates with the same config and plugins as rank 0.
struct RankFingerprint {
  RankInfo who;
  std::string nasctl_version;
  std::string config_digest;          // of the resolved config text (FNV-1a 64, hex)
  std::vector<std::string> plugins;   // "<kind> <name> <version> <file digest>", space then providers
  std::string error;                  // why this rank could not start; "" when it did
};

// This process's fingerprint. `session` may be null when `error` says why
// none could be opened.
RankFingerprint fingerprint_of(const Session* session, const std::string& error);

// The one-line refusal when a worker's fingerprint differs from rank 0's
// (all[0]) or a rank could not start; "" when all agree. Names the rank and
// the host.
std::string compare_fingerprints(const std::vector<RankFingerprint>& all);

// The FNV-1a 64-bit digest (16 hex digits) of a text or of a file's bytes
// ("unreadable" when the file cannot be read).
std::string fnv1a_hex(const std::string& text);
std::string file_digest(const std::string& path);

// Thrown on a worker when rank 0 refused the job: rank 0 reports the reason
// and exits with status 2, the worker exits quietly with 0 (a non-zero exit
// would make mpirun kill rank 0 before it reports).
class WorkerRefused : public Error {
 public:
  using Error::Error;
};

// The MPI job of this process: MPI_Init on construction, MPI_Finalize on
// destruction. Throws Error when MPI support was not built.
class MpiJob {
 public:
  MpiJob();
  ~MpiJob();
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Every rank calls it once, after opening its session (or failing to):
  // workers send their fingerprint to rank 0, which compares them with its
  // own and tells every rank the verdict. On rank 0 returns each rank's
  // RankInfo (rank 0 first) or throws Error with the refusal; on a worker
  // returns {} or throws WorkerRefused.
  std::vector<RankInfo> agree(const RankFingerprint& mine);

  // Rank 0: an evaluator that sends each candidate to the next free worker.
  // `stop` (set by SIGINT/SIGTERM) ends a wait for workers with an Error:
  // under mpirun a signal means the job is going down.
  std::unique_ptr<Evaluator> evaluator(const std::atomic<bool>* stop, const std::string& out_dir);
  // What that evaluator does: dynamic dispatch of `jobs` over the workers;
  // on_done in completion order, on this thread (Evaluator::evaluate).
  void dispatch(const std::vector<EvaluationRecord*>& jobs, const std::function<void(EvaluationRecord&)>& on_done);
  // Rank 0, when the run has ended (or failed): waits for the candidates
  // still out and tells every worker to stop. Also done by the destructor.
  void stop_workers();

  // Ranks 1..N-1: evaluates what rank 0 sends until it says stop.
  void serve(Session& session);

 private:
  int rank_ = 0;
  int size_ = 1;
  bool stopped_ = false;  // rank 0 told the workers to stop (or none serve)
  bool aborted_ = false;  // a signal or an MPI error: the launcher ends the job, MPI_Finalize is skipped
  std::vector<int> busy_;  // rank 0: per worker, 1 while a candidate is out
  const std::atomic<bool>* stop_ = nullptr;
  std::string out_dir_;
};

}  // namespace nasctl::runtime
