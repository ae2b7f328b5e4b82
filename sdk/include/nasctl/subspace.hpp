// Searching a space in stages, and providers that prepare for each stage.
//
// HURRICANE's two-stage search (plugins/search/hurricane) searches one group
// of layers with the others fixed, then the other group with the first fixed
// to its best; the paper trains the single-path super-network of each
// stage's sub-space before searching it. The strategy knows the sub-space and
// how long it wants it trained; an accuracy source that measures through
// trained weights (plugins/accuracy/supernet) knows the data and how to
// train. Neither sees the other, and core knows neither:
//
//   - a strategy that searches in stages implements the StagedSearch face and
//     says which sub-space it is in (a pure read of its state: it stays an
//     ask/tell state machine and keeps the determinism contract);
//   - the run loop reads it after every ask and, when it changed, hands it to
//     every metric provider with the SubspaceAware face, together with the
//     run folder, before any candidate of that batch is evaluated;
//   - a provider without the face (a table, a hardware model) is not told.
//
// Resume replays the strategy, so every sub-space is announced again in the
// same order; a provider keeps what it did for a sub-space under the run
// folder and reuses it, so nothing finished is done twice.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nasctl/architecture.hpp"

namespace nasctl {

struct SubSpace {
  std::string name;              // unique within a run and usable as a folder name, e.g. "stage1"
  std::vector<bool> searchable;  // per decision variable: searched in this sub-space
  Architecture base;             // the choices of the variables not searched
  int64_t train_epochs = 0;      // epochs the strategy asks the sub-space's super-network be trained; 0: none

  bool operator==(const SubSpace& o) const {
    return name == o.name && searchable == o.searchable && base == o.base && train_epochs == o.train_epochs;
  }
  bool operator!=(const SubSpace& o) const { return !(*this == o); }
};

// Optional face of a SearchStrategy; the run loop reaches it by dynamic_cast.
class StagedSearch {
 public:
  virtual ~StagedSearch();  // defined in the SDK library: one type_info for dynamic_cast

  // The sub-space the architectures of the last ask() belong to; nullptr
  // when the strategy searches the whole space (or has not started).
  virtual const SubSpace* current_subspace() const = 0;
};

// Optional face of a MetricProvider; the run loop reaches it by dynamic_cast.
class SubspaceAware {
 public:
  virtual ~SubspaceAware();  // defined in the SDK library: one type_info for dynamic_cast

  // Called from the run loop's thread with no evaluation in flight, before
  // the first candidate of `subspace` is evaluated; every evaluation until
  // the next call belongs to it. `run_dir` is the run folder: what the
  // provider keeps for the sub-space goes under it, and a later call for the
  // same sub-space in the same folder (a resumed run) must reuse what is
  // finished there. Throws nasctl::Error (one line) for what the user can fix.
  virtual void enter_subspace(const SubSpace& subspace, const std::string& run_dir) = 0;
};

}  // namespace nasctl
