// The engine of `nasctl lut build`: measures every layer the table lacks and
// appends its row as soon as it is measured (flushed), so an interrupted
// build keeps everything it measured. A rerun with the same file skips the
// signatures already there with status ok and retries the failed ones.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "nasctl/network_spec.hpp"

namespace nasctl::lut {

struct LayerMeasurement {
  double latency_ms = 0.0;
  double energy_mj = 0.0;  // used when the table has energy
};

// Measures one layer; throws (any std::exception) when it cannot: the row is
// then written with status failed and the exception's text.
using MeasureLayer = std::function<LayerMeasurement(const Layer&)>;
// After each measurement: done and failed so far, of `total` (layers x passes).
using BuildProgress = std::function<void(std::size_t done, std::size_t failed, std::size_t total)>;

struct BuildOptions {
  std::string file;
  // Comment lines ("# space: ...", without the format line) that head a new
  // table. Those named in `identity` must equal the existing table's on a
  // rerun, e.g. {"hardware", "conditions"}: a table measured elsewhere is
  // never extended with numbers from here.
  std::vector<std::string> header;
  std::vector<std::string> identity;
  bool energy = false;    // write the energy_mj column
  std::size_t limit = 0;  // measure at most this many layers now; 0: all
  // Measure every layer this many times, in turn, and keep the medians:
  // interleaving spreads a drift of the machine's load over all layers.
  std::size_t passes = 1;
};

struct BuildReport {
  std::size_t signatures = 0;  // distinct layers asked for
  std::size_t present = 0;     // already in the table with status ok
  std::size_t measured = 0;    // measured now with status ok
  std::size_t failed = 0;      // measured now, failed
  std::size_t retried = 0;     // failed rows of an earlier run measured again
  std::size_t left = 0;        // not measured because of `limit`
  bool resumed = false;        // the file existed
  bool repaired = false;       // a partial last line (an interrupted write) was dropped
  std::string first_error;     // of the failures, for the summary
};

BuildReport build_lut(const std::vector<Layer>& layers, const MeasureLayer& measure, const BuildOptions& options,
                      const BuildProgress& progress = {});

}  // namespace nasctl::lut
