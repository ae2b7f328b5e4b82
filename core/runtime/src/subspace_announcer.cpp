#include "subspace_announcer.hpp"

#include <chrono>
#include <utility>

#include <spdlog/spdlog.h>

#include "nasctl/runtime/session.hpp"

namespace nasctl::runtime {

SubspaceAnnouncer::SubspaceAnnouncer(Session& session, std::string run_dir)
    : session_(session), run_dir_(std::move(run_dir)) {}

void SubspaceAnnouncer::after_ask() {
  const auto* staged = dynamic_cast<const StagedSearch*>(session_.search.get());
  if (!staged) return;
  const SubSpace* current = staged->current_subspace();
  if (!current || (announced_ && *announced_ == *current)) return;
  announced_ = *current;
  std::size_t searched = 0;
  for (const bool s : current->searchable) searched += s ? 1 : 0;
  const auto start = std::chrono::steady_clock::now();
  int told = 0;
  for (auto& p : session_.providers) {
    auto* aware = dynamic_cast<SubspaceAware*>(p.provider.get());
    if (!aware) continue;
    spdlog::info("sub-space '{}' ({} of {} variables searched): preparing '{}'", current->name, searched,
                 current->searchable.size(), p.instance);
    aware->enter_subspace(*current, run_dir_);
    ++told;
  }
  if (told == 0 && current->train_epochs > 0)
    spdlog::info("sub-space '{}': no metric provider trains sub-spaces (only the supernet accuracy source does), so "
                 "its {} training epoch(s) are not spent", current->name, current->train_epochs);
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace nasctl::runtime
