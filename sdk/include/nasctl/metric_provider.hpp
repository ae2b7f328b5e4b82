// Metric providers: hardware models and accuracy sources. The run loop treats
// them alike: each declares the metrics it gives and computes them for one
// candidate at a time.
#pragma once

#include <string>
#include <vector>

#include "nasctl/architecture.hpp"
#include "nasctl/metrics.hpp"
#include "nasctl/network_spec.hpp"
#include "nasctl/plugin.hpp"

namespace nasctl {

class SearchSpace;

// Everything known about a candidate when its metrics are computed.
struct Candidate {
  const SearchSpace& space;
  const Architecture& arch;       // canonicalized
  const std::string& canonical;   // space.to_string(arch)
  const NetworkSpec& network;     // space.lower(arch)
};

class MetricProvider : public Plugin {
 public:
  // The metrics this provider gives, provider-local names.
  virtual std::vector<MetricInfo> metrics() const = 0;
  // Must return a value for every declared metric, or throw EvaluationError.
  // Called concurrently from several threads unless needs_exclusive_machine().
  virtual Metrics provide(const Candidate& candidate) = 0;
  // True for providers that time things: the run loop then calls them one at
  // a time with nothing else running, so measurements are not disturbed.
  virtual bool needs_exclusive_machine() const { return false; }
  // Conditions of the measurement (device, threads, batch, ...) for run.json.
  virtual Conditions conditions() const { return {}; }
  // Set-up that needs the search space (indexing a table by architecture,
  // fitting a predictor on the space's encoding): called once, from one
  // thread, before the first provide(); every candidate then comes from this
  // space. Throws nasctl::Error naming what is wrong. Default: nothing.
  virtual void prepare(const SearchSpace& space) { (void)space; }
};

// For providers with a prepare(): throws EvaluationError "<who>: ..." unless
// prepare() was called with `space` (`prepared` is the space it was called
// with, nullptr before).
void check_prepared(const SearchSpace* prepared, const SearchSpace& space, const std::string& who);

// A hardware plugin implements metrics() and evaluate(spec); nothing else.
class HardwareModel : public MetricProvider {
 public:
  virtual Metrics evaluate(const NetworkSpec& network) = 0;
  Metrics provide(const Candidate& candidate) override { return evaluate(candidate.network); }
};

// An accuracy source sees the whole candidate (tables need the architecture).
class AccuracySource : public MetricProvider {
 public:
  virtual Metrics evaluate(const Candidate& candidate) = 0;
  Metrics provide(const Candidate& candidate) override { return evaluate(candidate); }
};

}  // namespace nasctl
