// Adaptive, interleaved sampling: confidence intervals from order
// statistics, the stopping rule, the round robin over networks and forms.
#include "nasctl/torch/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <string>
#include <utility>

#include "nasctl/error.hpp"

namespace nasctl::libtorch {

double sorted_quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

QuantileInterval quantile_interval(std::vector<double> samples, double q, double confidence) {
  QuantileInterval ci;
  const std::size_t n = samples.size();
  if (n == 0 || q <= 0 || q >= 1) return ci;
  const double tail = (1 - confidence) / 2;
  const double dn = static_cast<double>(n), log_odds = std::log(q) - std::log1p(-q);
  // X_(j) lies above the quantile when fewer than j samples fall below it:
  // P = P(B <= j - 1) for B ~ Bin(n, q). The largest j whose tail stays
  // within `tail`. The binomial terms follow from one another (in logarithms:
  // n may be thousands), and the loop ends a few standard deviations below
  // n * q.
  double below = 0, log_pmf = dn * std::log1p(-q);
  std::size_t j = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = std::exp(log_pmf);
    if (below + p > tail) break;
    below += p;
    j = i + 1;
    log_pmf += std::log(dn - static_cast<double>(i)) - std::log(static_cast<double>(i) + 1) + log_odds;
  }
  // X_(k) lies below the quantile when at least k samples do: P = P(B >= k).
  // The smallest k whose tail stays within `tail`, summed from the top.
  double above = 0;
  log_pmf = dn * std::log(q);
  std::size_t k = n + 1;
  for (std::size_t i = n; i >= 1; --i) {
    const double p = std::exp(log_pmf);
    if (above + p > tail) break;
    above += p;
    k = i;
    log_pmf += std::log(static_cast<double>(i)) - std::log(dn - static_cast<double>(i) + 1) - log_odds;
  }
  if (j < 1 || k > n || j >= k) return ci;
  std::sort(samples.begin(), samples.end());
  ci.defined = true;
  ci.lower_rank = j;
  ci.upper_rank = k;
  ci.low = samples[j - 1];
  ci.high = samples[k - 1];
  ci.coverage = 1 - below - above;
  return ci;
}

double interval_percent(const std::vector<double>& samples, double q) {
  if (samples.empty()) return std::numeric_limits<double>::infinity();
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  const double value = sorted_quantile(sorted, q);
  const QuantileInterval ci = quantile_interval(sorted, q);
  const double low = ci.defined ? ci.low : sorted.front();
  const double high = ci.defined ? ci.high : sorted.back();
  if (value <= 0) return std::numeric_limits<double>::infinity();
  return std::max(value - low, high - value) / value * 100;
}

void check_plan(const SamplingPlan& p) {
  auto fail = [](const std::string& what) { throw Error("sampling plan: " + what); };
  if (p.min_samples < 1) fail("min_samples " + std::to_string(p.min_samples) + " < 1; fix: take at least one sample");
  if (p.max_samples < p.min_samples)
    fail("max_samples " + std::to_string(p.max_samples) + " < min_samples " + std::to_string(p.min_samples) +
         "; fix: set max_repeats >= repeats");
  if (!(p.ci_target_percent >= 0))
    fail("ci_target_percent must be >= 0; fix: give a percentage, or 0 for exactly `repeats` samples");
  if (!(p.max_seconds >= 0)) fail("max_seconds must be >= 0; fix: give a number of seconds");
  if (!(p.quantile > 0 && p.quantile < 1)) fail("quantile must lie in (0, 1); fix: use 0.5 for the median");
  if (p.samples_per_visit < 1) fail("samples_per_visit < 1; fix: take at least one sample per visit");
  if (p.warmup < 0 || p.passes_per_visit < 0) fail("negative warm-up passes; fix: use 0 or more");
}

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::Repeats: return "repeats";
    case StopReason::Target: return "target";
    case StopReason::MaxRepeats: return "max_repeats";
    case StopReason::MaxSeconds: return "max_seconds";
    case StopReason::Failed: return "failed";
  }
  return "repeats";
}

namespace {

std::vector<double> wall(const std::vector<Sample>& samples) {
  std::vector<double> v;
  v.reserve(samples.size());
  for (const Sample& s : samples) v.push_back(s.ms);
  return v;
}

struct Form {
  std::size_t entry = 0;
  std::vector<Sample> samples;
  bool live = true;
  bool warmed = false;
};

struct Network {
  std::vector<Form> forms;
  SampledNetwork result;
  bool done = false;       // no more visits
  bool satisfied = false;  // its interval reached the target (it is still visited while others run)
  bool reported = false;   // on_done was called
  std::size_t next_check = 0;  // sample count at which the interval is computed next
  std::size_t live() const {
    return static_cast<std::size_t>(std::count_if(forms.begin(), forms.end(), [](const Form& f) { return f.live; }));
  }
};

class RoundRobin {
 public:
  RoundRobin(SampleSource& source, const std::vector<std::size_t>& forms, const SamplingPlan& plan,
             const std::function<double()>& now, const std::function<void(std::size_t)>& on_done)
      : source_(source), plan_(plan), now_(now), on_done_(on_done) {
    std::size_t entry = 0;
    networks_.resize(forms.size());
    for (std::size_t i = 0; i < forms.size(); ++i) {
      networks_[i].forms.resize(forms[i]);
      networks_[i].result.form_errors.resize(forms[i]);
      for (Form& f : networks_[i].forms) f.entry = entry++;
      if (forms[i] == 0) finish(i, StopReason::Failed);
    }
  }

  // Rounds go on while any network still needs samples, and every network
  // not done takes part in every round, those that reached their target
  // too: so all of them are sampled over the same stretch of time, and a
  // change of load in its last part cannot favour the networks still
  // running then over those that stopped before.
  std::vector<SampledNetwork> run() {
    for (;;) {
      for (std::size_t i = 0; i < networks_.size(); ++i) {
        if (networks_[i].done) continue;
        visit(i);
        decide(i);
      }
      bool running = false;
      for (const Network& n : networks_) running = running || (!n.done && !n.satisfied);
      if (running) continue;
      for (std::size_t i = 0; i < networks_.size(); ++i) {
        if (!networks_[i].done) finish(i, StopReason::Target);
      }
      break;
    }
    std::vector<SampledNetwork> out;
    for (Network& n : networks_) out.push_back(std::move(n.result));
    return out;
  }

 private:
  // Samples still wanted of a form in this visit.
  int wanted(const Form& f, bool trial) const {
    const int n = static_cast<int>(f.samples.size());
    const int cap = trial || plan_.ci_target_percent == 0 ? plan_.min_samples : plan_.max_samples;
    return std::max(0, std::min(plan_.samples_per_visit, cap - n));
  }

  void visit(std::size_t i) {
    Network& net = networks_[i];
    const bool trial = net.live() > 1;
    const double start = now_();
    for (std::size_t f = 0; f < net.forms.size(); ++f) {
      Form& form = net.forms[f];
      if (!form.live) continue;
      const int take = wanted(form, trial);
      if (take == 0) continue;
      try {
        if (!form.warmed) {
          if (plan_.warmup > 0) source_.warm(form.entry, plan_.warmup);
          form.warmed = true;
        } else if (last_entry_ != form.entry && plan_.passes_per_visit > 0) {
          source_.warm(form.entry, plan_.passes_per_visit);
        }
        last_entry_ = form.entry;
        for (int k = 0; k < take; ++k) form.samples.push_back(source_.sample(form.entry));
      } catch (const std::exception& e) {
        net.result.form_errors[f] = e.what();
        drop(form);
      }
    }
    net.result.seconds += now_() - start;
  }

  void drop(Form& form) {
    form.live = false;
    form.samples.clear();
    source_.release(form.entry);
  }

  double figure(const Form& f) const {
    std::vector<double> v = wall(f.samples);
    std::sort(v.begin(), v.end());
    return sorted_quantile(v, plan_.quantile);
  }

  void decide(std::size_t i) {
    Network& net = networks_[i];
    if (net.live() == 0) return finish(i, StopReason::Failed);
    if (net.live() > 1) {
      for (const Form& f : net.forms) {
        if (f.live && static_cast<int>(f.samples.size()) < plan_.min_samples) return;
      }
      choose_fastest(net);
    }
    const Form& f = chosen(net);
    const int n = static_cast<int>(f.samples.size());
    if (n < plan_.min_samples) return;
    if (plan_.ci_target_percent == 0) return finish(i, StopReason::Repeats);
    // Sorting costs O(n log n): past a few dozen samples the interval is
    // computed again only after another 10% of them, so that checking stays
    // small beside timing even for a lone layer of a few microseconds.
    if (static_cast<std::size_t>(n) >= net.next_check) {
      net.satisfied = interval_percent(wall(f.samples), plan_.quantile) <= plan_.ci_target_percent;
      net.next_check = static_cast<std::size_t>(n + n / 10);
    }
    if (net.satisfied) report(i);
    if (n >= plan_.max_samples) return finish(i, net.satisfied ? StopReason::Target : StopReason::MaxRepeats);
    if (net.result.seconds >= plan_.max_seconds)
      return finish(i, net.satisfied ? StopReason::Target : StopReason::MaxSeconds);
  }

  // Progress: a network counts as measured once it reached its target or stopped.
  void report(std::size_t i) {
    if (networks_[i].reported) return;
    networks_[i].reported = true;
    if (on_done_) on_done_(i);
  }

  void choose_fastest(Network& net) {
    net.result.form_figures.assign(net.forms.size(), std::numeric_limits<double>::quiet_NaN());
    std::size_t best = net.forms.size();
    for (std::size_t f = 0; f < net.forms.size(); ++f) {
      if (!net.forms[f].live) continue;
      net.result.form_figures[f] = figure(net.forms[f]);
      if (best == net.forms.size() || net.result.form_figures[f] < net.result.form_figures[best]) best = f;
    }
    for (std::size_t f = 0; f < net.forms.size(); ++f) {
      if (f != best && net.forms[f].live) drop(net.forms[f]);
    }
  }

  Form& chosen(Network& net) {
    for (Form& f : net.forms) {
      if (f.live) return f;
    }
    return net.forms.front();  // not reached: decide() checked live() > 0
  }

  void finish(std::size_t i, StopReason reason) {
    Network& net = networks_[i];
    net.done = true;
    net.result.stop = reason;
    if (reason != StopReason::Failed) {
      Form& f = chosen(net);
      net.result.chosen = static_cast<std::size_t>(&f - net.forms.data());
      net.result.ci_percent = interval_percent(wall(f.samples), plan_.quantile);
      net.result.samples = std::move(f.samples);
      f.live = false;
      source_.release(f.entry);
    }
    report(i);
  }

  SampleSource& source_;
  const SamplingPlan& plan_;
  const std::function<double()>& now_;
  const std::function<void(std::size_t)>& on_done_;
  std::vector<Network> networks_;
  std::size_t last_entry_ = static_cast<std::size_t>(-1);
};

}  // namespace

std::vector<SampledNetwork> sample_round_robin(SampleSource& source, const std::vector<std::size_t>& forms,
                                               const SamplingPlan& plan, const std::function<double()>& now,
                                               const std::function<void(std::size_t)>& on_done) {
  check_plan(plan);
  return RoundRobin(source, forms, plan, now, on_done).run();
}

NoiseWarning::NoiseWarning(std::function<void(const std::string&)> sink, std::function<std::string()> load_report)
    : sink_(std::move(sink)), load_report_(std::move(load_report)) {}

void NoiseWarning::consider(const std::string& what, StopReason stop, double ci_percent, std::size_t samples,
                            double seconds, double ci_target_percent) {
  if (stop != StopReason::MaxRepeats && stop != StopReason::MaxSeconds) return;
  ++misses_;
  if (warned_) return;
  warned_ = true;
  char figures[256];
  std::snprintf(figures, sizeof figures,
                "the machine is too noisy for a +-%.3g%% confidence interval: +-%.3g%% after %zu samples in %.3g s "
                "(stopped at %s)",
                ci_target_percent, ci_percent, samples, seconds, to_string(stop));
  sink_(what + ": " + figures + "; " + (load_report_ ? load_report_() : std::string("load unknown")) +
        "; fix: measure on a quieter machine, or raise max_seconds / ci_target_percent (this warning is given once; "
        "every evaluation's latency_ci_percent says what it reached)");
}

}  // namespace nasctl::libtorch
