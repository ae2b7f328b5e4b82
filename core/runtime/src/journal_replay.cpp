#include "journal_replay.hpp"

#include <algorithm>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "nasctl/runtime/journal.hpp"

namespace nasctl::runtime {

JournalReplay::JournalReplay(const std::string& run_dir, bool resume) {
  if (!resume) return;
  for (auto& r : Journal::read((std::filesystem::path(run_dir) / "journal.jsonl").string(), &time_stop_)) {
    elapsed_offset_ = std::max(elapsed_offset_, r.elapsed);
    journaled_[r.canonical] = std::move(r);
  }
  elapsed_offset_ = std::max(elapsed_offset_, time_stop_);
  replaying_ = !journaled_.empty();
  spdlog::info("resuming {}: {} evaluations in the journal", run_dir, journaled_.size());
}

const EvaluationRecord* JournalReplay::find(const std::string& canonical, const Architecture& arch) const {
  const auto it = journaled_.find(canonical);
  return it != journaled_.end() && it->second.arch == arch ? &it->second : nullptr;
}

void JournalReplay::replayed(const EvaluationRecord& record) {
  replay_clock_ = std::max(replay_clock_, record.elapsed);
  // Everything replayed: the clock reads where the first session stopped.
  if (++replayed_ == journaled_.size()) replay_clock_ = std::max(replay_clock_, time_stop_);
}

double JournalReplay::elapsed(Clock::time_point wall_start) const {
  if (replaying_) return replay_clock_;
  return elapsed_offset_ + std::chrono::duration<double>(Clock::now() - wall_start).count();
}

}  // namespace nasctl::runtime
