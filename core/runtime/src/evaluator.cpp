#include "nasctl/runtime/evaluator.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "nasctl/batch_measurable.hpp"
#include "nasctl/error.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::runtime {

namespace {

using Clock = std::chrono::steady_clock;

// Adds one provider's metrics to the record under full names. Returns false
// (with record.error set) when a declared metric is missing.
bool take_metrics(const ProviderInstance& p, const Metrics& values, EvaluationRecord& record) {
  for (const auto& info : p.metrics) {
    auto it = values.find(info.name);
    if (it == values.end()) {
      record.error = "provider '" + p.instance + "' returned no value for metric '" + info.name + "'";
      return false;
    }
    record.metrics[p.instance + "." + info.name] = it->second;
  }
  return true;
}

// Runs the providers selected by `exclusive` on one candidate, adding their
// metrics under full names. Returns false (with record.error set) on failure.
bool run_providers(const SearchSpace& space, const std::vector<ProviderInstance>& providers, bool exclusive,
                   const NetworkSpec& network, EvaluationRecord& record) {
  const Candidate candidate{space, record.arch, record.canonical, network};
  for (const auto& p : providers) {
    if (p.provider->needs_exclusive_machine() != exclusive) continue;
    try {
      if (!take_metrics(p, p.provider->provide(candidate), record)) return false;
    } catch (const std::exception& e) {
      record.error = p.instance + ": " + e.what();
      return false;
    }
  }
  return true;
}

// The timing providers over a whole batch: one that measures batches
// (nasctl::BatchMeasurable, e.g. `measure`) gets every network at once and
// interleaves them, so that a change of load hits the batch alike; the others
// run candidate by candidate. A record that failed skips the later providers.
void run_exclusive_batch(const SearchSpace& space, const std::vector<ProviderInstance>& providers,
                         const std::vector<EvaluationRecord*>& jobs, const std::vector<NetworkSpec>& networks) {
  for (const auto& p : providers) {
    if (!p.provider->needs_exclusive_machine()) continue;
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i]->error.empty()) todo.push_back(i);
    }
    auto* batch = dynamic_cast<BatchMeasurable*>(p.provider.get());
    if (!batch || todo.size() < 2) {
      for (std::size_t i : todo) {
        EvaluationRecord& r = *jobs[i];
        const Candidate candidate{space, r.arch, r.canonical, networks[i]};
        try {
          take_metrics(p, p.provider->provide(candidate), r);
        } catch (const std::exception& e) {
          r.error = p.instance + ": " + e.what();
        }
      }
      continue;
    }
    std::vector<const NetworkSpec*> specs;
    for (std::size_t i : todo) specs.push_back(&networks[i]);
    std::vector<BatchMeasurable::Outcome> outcomes;
    try {
      outcomes = batch->evaluate_batch(specs, {});
      if (outcomes.size() != todo.size())
        throw Error("returned " + std::to_string(outcomes.size()) + " results for " + std::to_string(todo.size()) +
                    " networks; fix: a BatchMeasurable returns one outcome per network");
    } catch (const std::exception& e) {
      for (std::size_t i : todo) jobs[i]->error = p.instance + ": " + e.what();
      continue;
    }
    for (std::size_t k = 0; k < todo.size(); ++k) {
      EvaluationRecord& r = *jobs[todo[k]];
      if (!outcomes[k].error.empty())
        r.error = p.instance + ": " + outcomes[k].error;
      else
        take_metrics(p, outcomes[k].metrics, r);
    }
  }
}

bool measures_batches(const std::vector<ProviderInstance>& providers) {
  for (const auto& p : providers) {
    if (p.provider->needs_exclusive_machine() && dynamic_cast<BatchMeasurable*>(p.provider.get())) return true;
  }
  return false;
}

}  // namespace

LocalEvaluator::LocalEvaluator(const SearchSpace& space, const std::vector<ProviderInstance>& providers,
                               std::size_t threads)
    : space_(space), providers_(providers), threads_(threads == 0 ? 1 : threads) {
  if (threads_ > 1) pool_ = std::make_unique<boost::asio::thread_pool>(threads_);
}

LocalEvaluator::~LocalEvaluator() {
  if (pool_) pool_->join();
}

void LocalEvaluator::evaluate(const std::vector<EvaluationRecord*>& jobs,
                              const std::function<void(EvaluationRecord&)>& on_done) {
  bool any_exclusive = false;
  for (const auto& p : providers_) any_exclusive |= p.provider->needs_exclusive_machine();

  std::vector<NetworkSpec> networks(jobs.size());
  std::vector<double> seconds(jobs.size(), 0.0);
  std::mutex done_mutex;
  // on_done may throw (a journal that cannot be written). On a pool thread
  // that would terminate the program, so the first exception is kept, the
  // remaining jobs are skipped, and it is rethrown on the caller's thread.
  std::exception_ptr callback_error;
  std::atomic<bool> stopping{false};
  auto report = [&](EvaluationRecord& r) {
    std::lock_guard<std::mutex> lock(done_mutex);
    if (callback_error) return;
    try {
      on_done(r);
    } catch (...) {
      callback_error = std::current_exception();
      stopping = true;
    }
  };
  auto first_phase = [&](std::size_t i) {
    if (stopping) return;
    EvaluationRecord& r = *jobs[i];
    const auto start = Clock::now();
    try {
      networks[i] = space_.lower(r.arch);
      run_providers(space_, providers_, false, networks[i], r);
    } catch (const std::exception& e) {
      r.error = std::string("lowering failed: ") + e.what();
    }
    seconds[i] = std::chrono::duration<double>(Clock::now() - start).count();
    if (!any_exclusive || !r.error.empty()) {
      r.seconds = seconds[i];
      report(r);
    }
  };
  if (!pool_ || jobs.size() <= 1) {
    for (std::size_t i = 0; i < jobs.size(); ++i) first_phase(i);
  } else {
    std::mutex wait_mutex;
    std::condition_variable all_done;
    std::size_t remaining = jobs.size();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      boost::asio::post(*pool_, [&, i] {
        first_phase(i);
        std::lock_guard<std::mutex> lock(wait_mutex);
        if (--remaining == 0) all_done.notify_one();
      });
    }
    std::unique_lock<std::mutex> lock(wait_mutex);
    all_done.wait(lock, [&] { return remaining == 0; });
  }
  if (callback_error) std::rethrow_exception(callback_error);
  if (!any_exclusive) return;
  // Measurements run alone: nothing else competes for the cores or caches.
  if (measures_batches(providers_) && jobs.size() > 1) {
    // Interleaved, every record is measured until the batch is: the records
    // are reported together, each with an equal share of the batch's time.
    std::vector<std::size_t> live;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i]->error.empty()) live.push_back(i);
    }
    const auto start = Clock::now();
    run_exclusive_batch(space_, providers_, jobs, networks);
    const double share = std::chrono::duration<double>(Clock::now() - start).count() /
                         static_cast<double>(std::max<std::size_t>(live.size(), 1));
    for (std::size_t i : live) {
      jobs[i]->seconds = seconds[i] + share;
      on_done(*jobs[i]);
    }
    return;
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    EvaluationRecord& r = *jobs[i];
    if (!r.error.empty()) continue;
    const auto start = Clock::now();
    run_providers(space_, providers_, true, networks[i], r);
    r.seconds = seconds[i] + std::chrono::duration<double>(Clock::now() - start).count();
    on_done(r);
  }
}

}  // namespace nasctl::runtime
