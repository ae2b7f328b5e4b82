// One-time set-up on first use, for accuracy sources that can only prepare
// once they see the search space (which arrives with the first candidate):
// indexing a table, fitting a predictor. Several threads may evaluate at
// once; the set-up runs exactly once and the others wait for it. A set-up
// that fails is not retried: every later call rethrows the same error, so a
// broken table fails each evaluation alike instead of re-reading files.
#pragma once

#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <utility>

#include "nasctl/error.hpp"
#include "nasctl/search_space.hpp"

namespace nasctl::predict {

class FirstUse {
 public:
  // Runs setup(space) if no call has yet; rethrows its failure; throws
  // EvaluationError when called with another space than the first one
  // (what was prepared would not mean anything for it). `who` names the
  // plugin instance in messages.
  template <typename Setup>
  void ensure(const SearchSpace& space, const std::string& who, Setup&& setup) {
    // The callable never throws: std::call_once with a throwing callable
    // deadlocks on some libstdc++ targets (GCC bug 66146).
    std::call_once(once_, [&] {
      space_ = &space;
      try {
        std::forward<Setup>(setup)(space);
        done_.store(true, std::memory_order_release);
      } catch (...) {
        error_ = std::current_exception();
      }
    });
    if (error_) std::rethrow_exception(error_);
    if (&space != space_)
      throw EvaluationError(who +
                            ": called with a different search space than the one it was prepared for; "
                            "fix: use one accuracy source instance per search space");
  }

  // True once the set-up has succeeded; safe to call from any thread, and
  // what the set-up wrote is visible after it returns true.
  bool done() const { return done_.load(std::memory_order_acquire); }

 private:
  std::once_flag once_;
  std::exception_ptr error_;
  const SearchSpace* space_ = nullptr;
  std::atomic<bool> done_{false};
};

}  // namespace nasctl::predict
