// Hands the sub-space a staged search is in (nasctl/subspace.hpp) to the
// metric providers that prepare for one, e.g. the supernet accuracy source,
// which trains the sub-space's super-network. Core only passes the message:
// it links nothing that trains.
#pragma once

#include <optional>
#include <string>

#include "nasctl/subspace.hpp"

namespace nasctl::runtime {

struct Session;

class SubspaceAnnouncer {
 public:
  SubspaceAnnouncer(Session& session, std::string run_dir);

  // Called after every ask, before the batch is evaluated: when the strategy
  // is a StagedSearch whose sub-space is not the one last announced, every
  // SubspaceAware provider's enter_subspace() runs (in the order of the
  // config). Errors propagate.
  void after_ask();

  double seconds() const { return seconds_; }  // spent in providers' enter_subspace()

 private:
  Session& session_;
  std::string run_dir_;
  std::optional<SubSpace> announced_;
  double seconds_ = 0.0;
};

}  // namespace nasctl::runtime
