// Distributed evaluation on MPI (plain C API): rank 0 dispatches candidates
// to ranks 1..N-1 one at a time, a free worker getting the next one, and
// collects their results; the run loop (on rank 0) journals them as they
// come and tells the strategy in ask order, exactly as with LocalEvaluator.
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <spdlog/spdlog.h>

#include "mpi_wire.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/mpi.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::runtime {

namespace {

enum Tag : int { kHello = 1, kJob = 2, kResult = 3, kStop = 4 };

std::string mpi_error_text(int code) {
  char text[MPI_MAX_ERROR_STRING] = {0};
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, static_cast<std::size_t>(length));
}

void check(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  throw Error(std::string(call) + " failed (" + mpi_error_text(code) +
              "): a rank died or the network between ranks failed; fix: see the launcher's message, then continue "
              "with `nasctl search --resume DIR` on any number of ranks");
}

void send(const std::string& bytes, int to, int tag) {
  check(MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD), "MPI_Send");
}

// Receives the message whose arrival `status` announced.
std::string receive(const MPI_Status& status) {
  int count = 0;
  check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
  std::string bytes(static_cast<std::size_t>(count), '\0');
  check(MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
        "MPI_Recv");
  return bytes;
}

// Waits for a message from `source` with `tag` (MPI_ANY_*), polling so that
// a waiting rank neither spins a core (ranks share cores when
// oversubscribed) nor misses `stop`. Returns false when `stop` was set.
bool wait_for(int source, int tag, MPI_Status& status, const std::atomic<bool>* stop) {
  for (unsigned polls = 0;; ++polls) {
    int arrived = 0;
    check(MPI_Iprobe(source, tag, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
    if (arrived) return true;
    if (stop && stop->load()) return false;
    if (polls < 100)
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::microseconds(polls < 2000 ? 50 : 500));
  }
}

std::string from_rank(int rank) { return "MPI rank " + std::to_string(rank); }

class MpiEvaluator : public Evaluator {
 public:
  explicit MpiEvaluator(MpiJob& job) : job_(job) {}
  void evaluate(const std::vector<EvaluationRecord*>& jobs,
                const std::function<void(EvaluationRecord&)>& on_done) override {
    job_.dispatch(jobs, on_done);
  }

 private:
  MpiJob& job_;
};

}  // namespace

bool mpi_built() { return true; }

MpiJob::MpiJob() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    int provided = 0;
    // Only the main thread calls MPI (providers may run threads of their own).
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      throw Error("MPI_Init failed; fix: start nasctl with the mpirun/srun of the MPI it was built with");
  }
  // Errors come back as codes (turned into one-line Errors), not as an abort.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  busy_.assign(static_cast<std::size_t>(size_), 0);
}

MpiJob::~MpiJob() {
  try {
    stop_workers();
  } catch (const std::exception& e) {
    spdlog::warn("could not stop the MPI workers cleanly: {}", e.what());
    aborted_ = true;
  }
  // After a lost rank MPI_Finalize may wait forever; the launcher ends the job.
  if (!aborted_) MPI_Finalize();
}

std::vector<RankInfo> MpiJob::agree(const RankFingerprint& mine_in) {
  RankFingerprint mine = mine_in;
  mine.who.rank = rank_;
  std::string verdict;
  std::vector<RankInfo> ranks;
  if (rank_ != 0) {
    send(wire::fingerprint(mine), 0, kHello);
  } else {
    std::vector<RankFingerprint> all{mine};
    for (int k = 1; k < size_; ++k) {
      MPI_Status status;
      check(MPI_Probe(k, kHello, MPI_COMM_WORLD, &status), "MPI_Probe");
      const std::string bytes = receive(status);
      try {
        all.push_back(wire::read_fingerprint(bytes, from_rank(k)));
      } catch (const Error& e) {
        RankFingerprint odd;
        odd.who.rank = k;
        odd.who.host = "unknown";
        odd.error = e.what();
        all.push_back(odd);
      }
      all.back().who.rank = k;
    }
    verdict = compare_fingerprints(all);
    for (const auto& f : all) ranks.push_back(f.who);
  }
  int length = static_cast<int>(verdict.size());
  check(MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
  verdict.resize(static_cast<std::size_t>(length));
  if (length > 0) check(MPI_Bcast(verdict.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
  if (verdict.empty()) return ranks;
  stopped_ = true;  // no worker serves: nothing to stop
  if (rank_ != 0) throw WorkerRefused(verdict);
  if (!mine.error.empty()) return {};  // the caller rethrows rank 0's own error
  throw Error(verdict);
}

std::unique_ptr<Evaluator> MpiJob::evaluator(const std::atomic<bool>* stop, const std::string& out_dir) {
  stop_ = stop;
  out_dir_ = out_dir;
  return std::make_unique<MpiEvaluator>(*this);
}

void MpiJob::dispatch(const std::vector<EvaluationRecord*>& jobs,
                      const std::function<void(EvaluationRecord&)>& on_done) {
  std::vector<std::size_t> job_of(static_cast<std::size_t>(size_), 0);
  std::size_t next = 0;
  std::size_t out = 0;
  std::exception_ptr callback_error;  // on_done threw (journal not writable): stop sending, then rethrow
  auto send_next = [&](int worker) {
    if (next >= jobs.size() || callback_error) return;
    send(wire::job(jobs[next]->index, jobs[next]->canonical), worker, kJob);
    job_of[static_cast<std::size_t>(worker)] = next++;
    busy_[static_cast<std::size_t>(worker)] = 1;
    ++out;
  };
  for (int w = 1; w < size_; ++w) {
    if (!busy_[static_cast<std::size_t>(w)]) send_next(w);
  }
  while (out > 0) {
    MPI_Status status;
    if (!wait_for(MPI_ANY_SOURCE, kResult, status, stop_)) {
      aborted_ = true;
      throw Error("stopped by a signal with " + std::to_string(out) + " candidate(s) out on workers: under mpirun this " +
                  "means a rank died or the job was cancelled (the launcher's message names the rank); every finished " +
                  "evaluation is in " + out_dir_ + "/journal.jsonl; fix: `mpirun -np N nasctl search --resume " + out_dir_ +
                  "` with any N");
    }
    const int worker = status.MPI_SOURCE;
    const std::string bytes = receive(status);
    busy_[static_cast<std::size_t>(worker)] = 0;
    --out;
    EvaluationRecord& r = *jobs[job_of[static_cast<std::size_t>(worker)]];
    EvaluationRecord got;
    wire::read_result(bytes, from_rank(worker), got);
    if (got.index != r.index)
      throw Error(from_rank(worker) + " answered candidate " + std::to_string(got.index) + " when sent " +
                  std::to_string(r.index) + "; fix: run the same nasctl build on every rank");
    r.metrics = std::move(got.metrics);
    r.error = std::move(got.error);
    r.seconds = got.seconds;
    r.rank = got.rank;
    r.host = std::move(got.host);
    if (!callback_error) {
      try {
        on_done(r);
      } catch (...) {
        callback_error = std::current_exception();
      }
    }
    send_next(worker);
  }
  if (callback_error) std::rethrow_exception(callback_error);
}

void MpiJob::stop_workers() {
  if (rank_ != 0 || stopped_ || aborted_) return;
  stopped_ = true;
  // Results still out (the run stopped inside a batch) are received and dropped.
  for (int w = 1; w < size_; ++w) {
    if (!busy_[static_cast<std::size_t>(w)]) continue;
    MPI_Status status;
    if (!wait_for(w, kResult, status, stop_)) {
      aborted_ = true;
      return;
    }
    receive(status);
    busy_[static_cast<std::size_t>(w)] = 0;
  }
  for (int w = 1; w < size_; ++w) send("", w, kStop);
}

void MpiJob::serve(Session& session) {
  const SearchSpace& space = *session.space;
  LocalEvaluator local(space, session.providers, 1);
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  const std::string from = from_rank(0);
  while (true) {
    MPI_Status status;
    wait_for(0, MPI_ANY_TAG, status, nullptr);
    const std::string bytes = receive(status);
    if (status.MPI_TAG == kStop) break;
    if (status.MPI_TAG != kJob) throw Error(from + " sent message tag " + std::to_string(status.MPI_TAG) + "; fix: run the same nasctl build on every rank");
    const wire::Job job = wire::read_job(bytes, from);
    EvaluationRecord r;
    r.index = job.index;
    r.canonical = job.canonical;
    r.rank = rank_;
    r.host = host;
    try {
      Architecture arch = space.canonicalize(space.parse(job.canonical));
      space.check(arch);
      if (space.to_string(arch) != job.canonical)
        r.error = "rank " + std::to_string(rank_) + " reads this candidate as '" + space.to_string(arch) +
                  "'; fix: run the same space plugin on every rank";
      r.arch = std::move(arch);
    } catch (const std::exception& e) {
      r.error = "rank " + std::to_string(rank_) + " cannot read the candidate: " + e.what();
    }
    if (r.error.empty()) local.evaluate({&r}, [](EvaluationRecord&) {});
    send(wire::result(r), 0, kResult);
  }
  stopped_ = true;
}

}  // namespace nasctl::runtime
