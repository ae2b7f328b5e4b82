// What must hold in a `nasctl search` run folder: at every moment a kill can
// leave (journal lines whole but the last, outputs either absent or whole
// and backed by the journal), and after the final resume (every evaluation
// once, the outputs of an uninterrupted run, no temporaries). Each check
// returns the problems it found, one line each; empty means it holds.
#pragma once

#include <string>
#include <vector>

namespace nasctl::crash {

using Problems = std::vector<std::string>;

// After a kill, before resuming: the journal's records are distinct and all
// but a cut-short last line parse; evaluations.csv, pareto.csv and run.json,
// where present, parse whole, and every architecture in evaluations.csv is
// in the journal (the journal is written first).
Problems check_killed_folder(const std::string& run_dir);

// After the final resume: `evaluations` records in the journal, each
// architecture once, the same architectures as evaluations.csv; run.json
// says `evaluations`; evaluations.csv and pareto.csv equal the reference
// run's in every cell but eval_seconds (a wall-clock measurement); no
// ".tmp-" file is left in the folder.
Problems check_finished_folder(const std::string& run_dir, const std::string& reference_dir, std::size_t evaluations);

}  // namespace nasctl::crash
