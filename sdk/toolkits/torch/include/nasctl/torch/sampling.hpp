// How many timed samples to take of which network, in which order, and when
// to stop. No LibTorch here: the timing is a SampleSource (latency.cpp's
// runners time LibTorch modules; tests feed synthetic sequences) and the clock
// is injected, so the rules are tested without timing anything.
//
// The rules follow pyperf and Google Benchmark: a minimum number of samples
// (`repeats`), then more until the reported statistic's 95% confidence
// interval is within a target, or until a time or count cap. Several networks
// are sampled round robin, a few samples per visit, so that a change of load
// on a shared machine hits all of them alike instead of whichever network was
// being timed while it lasted.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace nasctl::libtorch {

// One timed sample, per forward pass: wall clock (or CUDA events) and the
// process's CPU time.
struct Sample {
  double ms = 0;
  double cpu_ms = 0;
};

// The q-quantile (q in [0, 1]) of sorted values, interpolating linearly
// between order statistics (numpy's default percentile).
double sorted_quantile(const std::vector<double>& sorted, double q);

// A distribution-free confidence interval of the q-quantile: [X_(lower_rank),
// X_(upper_rank)] of the sorted samples, the ranks taken from the binomial
// distribution Bin(n, q) so that each tail has probability at most
// (1 - confidence) / 2 whatever the distribution of the samples.
struct QuantileInterval {
  bool defined = false;  // false: too few samples for the confidence (e.g. < 6 for the median at 95%)
  std::size_t lower_rank = 0;  // 1-based
  std::size_t upper_rank = 0;  // 1-based
  double low = 0;
  double high = 0;
  double coverage = 0;  // the exact probability that the interval holds the quantile
};
QuantileInterval quantile_interval(std::vector<double> samples, double q, double confidence = 0.95);

// The interval's half-width around the q-quantile of the samples (linear
// interpolation, as LatencyStats's percentiles), relative to it, in percent:
// max(value - low, high - value) / value * 100. When the samples are too few
// for a 95% interval, their whole range stands in for it.
double interval_percent(const std::vector<double>& samples, double q);

struct SamplingPlan {
  int warmup = 10;                // untimed passes before an entry's first timed sample
  int min_samples = 30;           // `repeats`: every entry gets at least these
  int max_samples = 1000;         // `max_repeats`
  double ci_target_percent = 2;   // stop once interval_percent <= this; 0: exactly min_samples
  double max_seconds = 1;         // per network (all its forms): no more visits past this, once min_samples are in
  double quantile = 0.5;          // the statistic the interval is about
  int samples_per_visit = 5;      // timed samples of an entry per visit
  // Untimed passes that open a visit when another entry ran since this
  // entry's last one: its weights and workspace come back into the caches
  // before the clock runs, as they are in a deployed model that runs over and
  // over.
  int passes_per_visit = 1;
};

// Throws nasctl::Error "sampling plan: ...; fix: ..." for a plan that cannot work.
void check_plan(const SamplingPlan& plan);

enum class StopReason {
  Repeats,     // ci_target_percent = 0: the fixed count was taken
  Target,      // the interval reached the target (and stayed there while others ran on)
  MaxRepeats,  // max_samples were taken first
  MaxSeconds,  // max_seconds went by first
  Failed,      // every form failed
};
const char* to_string(StopReason reason);

// Entries are the things timed: the forms of the networks (one form each,
// unless the fastest of several is wanted), numbered network by network.
class SampleSource {
 public:
  virtual ~SampleSource() = default;
  virtual void warm(std::size_t entry, int passes) = 0;  // untimed passes
  virtual Sample sample(std::size_t entry) = 0;         // one timed sample
  // The entry will not run again: free what it holds (a CUDA graph, weights).
  virtual void release(std::size_t entry) { (void)entry; }
};

struct SampledNetwork {
  std::size_t chosen = 0;              // which of the network's forms was kept
  std::vector<Sample> samples;         // the chosen form's, in the order measured
  std::vector<double> form_figures;    // each form's statistic when the fastest was chosen (several forms only)
  std::vector<std::string> form_errors;  // why a form failed; empty where it did not
  double seconds = 0;                  // clock time of its visits, all forms
  double ci_percent = 0;               // interval_percent of the chosen form's samples
  StopReason stop = StopReason::Repeats;
};

// Samples networks round robin. forms[i] is how many forms network i has;
// its entries follow those of networks 0..i-1. Each visit of a network takes
// samples_per_visit samples of each of its live forms. While a network has
// several forms, every one gets min_samples, then the one with the lowest
// statistic is kept and the others released. A network is satisfied once it
// has min_samples and its interval is within the target; it drops out of the
// round only at max_samples or max_seconds (or, with a target of 0, at
// min_samples), and the round ends when no network is left unsatisfied: so
// every network is sampled over the same stretch of time. An exception from
// the source fails that form only (its text kept in form_errors); a network
// whose forms all failed stops with StopReason::Failed. `now` gives seconds;
// `on_done(i)`, if set, is called once, when network i is satisfied or stops.
std::vector<SampledNetwork> sample_round_robin(SampleSource& source, const std::vector<std::size_t>& forms,
                                               const SamplingPlan& plan, const std::function<double()>& now,
                                               const std::function<void(std::size_t)>& on_done = {});

// Warns once: the first time a measurement could not reach the target (it
// stopped at max_repeats or max_seconds), `sink` gets one line naming the
// target, what was reached, and the machine's load (`load_report`, e.g.
// machine_load_report()); later misses are counted, not reported.
class NoiseWarning {
 public:
  NoiseWarning(std::function<void(const std::string&)> sink, std::function<std::string()> load_report);
  // `what`: the measurement, e.g. "measure 'cpu'"; the rest: how one
  // network's sampling ended (SampledNetwork's fields) and the target.
  void consider(const std::string& what, StopReason stop, double ci_percent, std::size_t samples, double seconds,
                double ci_target_percent);
  std::size_t misses() const { return misses_; }
  bool warned() const { return warned_; }

 private:
  std::function<void(const std::string&)> sink_;
  std::function<std::string()> load_report_;
  std::size_t misses_ = 0;
  bool warned_ = false;
};

// "load average 2.31 1.90 1.50 on 2 CPUs; busiest other process: cc1plus
// (pid 812) at 97% of a core": /proc/loadavg, and the other process that
// used the most CPU time over the next 0.1 s (read twice from /proc/*/stat).
std::string machine_load_report();

}  // namespace nasctl::libtorch
