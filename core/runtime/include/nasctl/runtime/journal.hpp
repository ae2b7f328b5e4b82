// The append-only journal of a run (journal.jsonl in the run folder): one
// JSON object per line, a header line first, then one line per completed
// evaluation, each written with a single write(2) on an O_APPEND descriptor.
// A run killed at any moment (kill -9 included) keeps every line written;
// at worst the last line is cut short, and reading drops it with a warning.
#pragma once

#include <string>
#include <vector>

#include "nasctl/runtime/evaluator.hpp"

namespace nasctl::runtime {

constexpr int kJournalVersion = 1;

class Journal {
 public:
  // Opens for appending; creates the file with a header if it does not exist.
  Journal(const std::string& path, const std::string& space_name);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  void append(const EvaluationRecord& record);
  // Marks that the run stopped on its time budget at run time `elapsed`, so a
  // resumed run replays up to exactly that point (records alone cannot say
  // whether the clock ran out after the last one was written).
  void append_time_stop(double elapsed);
  const std::string& path() const { return path_; }

  // Reads all complete records. Throws DataError (file:line) for a corrupt
  // line other than a cut-short last line, or a header of another version.
  // `time_stop`, if given, receives the latest time-budget stop (0: none).
  static std::vector<EvaluationRecord> read(const std::string& path, double* time_stop = nullptr);

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace nasctl::runtime
