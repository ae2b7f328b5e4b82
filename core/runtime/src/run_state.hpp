// The run's state: one record per distinct architecture (in the order first
// asked) with its metrics and score, and the index by canonical text that
// answers repeats.
// The run loop admits each batch of asks here, evaluates what is new, scores
// it and tells the strategy the answers built here.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "journal_replay.hpp"
#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/outputs.hpp"

namespace nasctl::runtime {

// One batch of asks after admission: which record answers each ask, which
// of those existed before the batch, and the records to evaluate now.
struct AdmittedBatch {
  std::vector<Architecture> asks;
  std::vector<std::size_t> record_of_ask;
  std::vector<bool> known_before;
  std::vector<EvaluationRecord*> to_evaluate;
  std::size_t first_new = 0;  // records from here on were created by this batch
};

class RunState {
 public:
  // Checks and canonicalises each ask; a distinct new architecture becomes
  // one record, answered from the journal when `replay` holds it (counted
  // in `replayed`), else queued for evaluation. Repeats, in this batch or
  // earlier ones, are answered from the existing record. Throws Error
  // naming `search_plugin` for an invalid architecture.
  AdmittedBatch admit(std::vector<Architecture> asks, const SearchSpace& space, JournalReplay& replay,
                      const std::string& search_plugin, std::size_t& replayed);

  // Scores the records from `first` on; returns how many are feasible.
  std::size_t score_from(std::size_t first, const Problem& problem);

  // What the strategy is told for each ask of the batch (moves the asks).
  std::vector<Evaluation> answers(AdmittedBatch& batch) const;

  // Removes the records from `first` on for which `drop` holds. Only before the run ends: the index by text is not updated.
  void drop_from(std::size_t first, const std::function<bool(const EvaluationRecord&)>& drop);

  std::size_t size() const { return records_.size(); }
  std::size_t feasible() const;
  std::vector<EvaluationRecord> ordered_records() const { return {records_.begin(), records_.end()}; }
  const std::deque<EvaluationRecord>& records() const { return records_; }

 private:
  std::deque<EvaluationRecord> records_;  // stable addresses for the evaluator
  std::unordered_map<std::string, std::size_t> index_of_;
};

}  // namespace nasctl::runtime
