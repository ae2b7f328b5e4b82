#include "nasctl/evolve/spos.hpp"
#include "nasctl/evolve/network_key.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "nasctl/error.hpp"

namespace nasctl::evolve {

namespace {

std::string number(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

std::string describe(const Constraint& c) {
  return "'" + c.metric + (c.bound == Bound::AtMost ? " <= " : " >= ") + number(c.limit) + "'";
}

}  // namespace

Spos::Spos(SposOptions options) : options_(options) {}

std::string Spos::key(const Architecture& arch) const {
  return network_key(*problem_.space, arch);
}

void Spos::start(SposProblem problem) {
  const std::string& who = problem.who;
  if (!problem.space) throw ConfigError(who + ": no search space; fix: start the engine with a space");
  if (!problem.fitness) throw ConfigError(who + ": no fitness function; fix: give SposProblem::fitness");
  if (options_.population < 1) throw ConfigError(who + ": population is 0; fix: use at least 1");
  if (options_.parents < 1) throw ConfigError(who + ": parents is 0; fix: keep at least 1 parent");
  if (!(options_.mutation_prob >= 0.0 && options_.mutation_prob <= 1.0))
    throw ConfigError(who + ": mutation_prob " + number(options_.mutation_prob) + " is outside [0, 1]; fix: e.g. 0.1");
  if (options_.redraws < 0 || options_.max_tries < 1)
    throw ConfigError(who + ": redraws must be >= 0 and max_tries >= 1; fix: use the defaults 3 and 100");
  const std::size_t n = problem.space->variables().size();
  if (!problem.searchable.empty()) {
    if (problem.searchable.size() != n || problem.base.size() != n)
      throw ConfigError(who + ": the sub-space has " + std::to_string(problem.searchable.size()) + " flags and a base of " +
                        std::to_string(problem.base.size()) + " choices for a space of " + std::to_string(n) +
                        " variables; fix: give one of each per variable");
    if (std::none_of(problem.searchable.begin(), problem.searchable.end(), [](bool b) { return b; }))
      throw ConfigError(who + ": the sub-space has no searchable variable; fix: mark at least one variable searchable");
    problem.space->check(problem.base);
  }
  problem_ = std::move(problem);
  rng_.seed(problem_.seed);
  top_.clear();
  breeders_.clear();
  queue_.clear();
  asked_.clear();
  to_replace_.clear();
  seen_.clear();
  iteration_ = 0;
  feasible_ = told_ = prefilter_rejected_ = 0;
  exhausted_ = false;
  closest_violation_.assign(problem_.constraints.size(), std::numeric_limits<double>::infinity());
  closest_value_.assign(problem_.constraints.size(), NAN);
  begin_iteration();
}

Architecture Spos::restrict(Architecture arch) const {
  for (std::size_t i = 0; i < problem_.searchable.size(); ++i) {
    if (!problem_.searchable[i]) arch[i] = problem_.base[i];
  }
  return arch;
}

void Spos::note_violation(const Metrics& metrics) {
  for (std::size_t k = 0; k < problem_.constraints.size(); ++k) {
    const Constraint& c = problem_.constraints[k];
    const auto it = metrics.find(c.metric);
    if (it == metrics.end()) continue;
    const double v = c.violation(it->second);
    if (v > 0.0 && v < closest_violation_[k]) {
      closest_violation_[k] = v;
      closest_value_[k] = it->second;
    }
  }
}

bool Spos::passes_prefilter(const Architecture& arch) {
  if (!problem_.early_metrics) return true;
  const Metrics early = problem_.early_metrics(arch);
  double violation = 0.0;
  for (const Constraint& c : problem_.constraints) {
    if (const auto it = early.find(c.metric); it != early.end()) violation += c.violation(it->second);
  }
  if (violation <= 0.0) return true;
  note_violation(early);
  ++prefilter_rejected_;
  return false;
}

Architecture Spos::generate(Origin origin) {
  const SearchSpace& space = *problem_.space;
  if (origin == Origin::Random || breeders_.empty()) return restrict(space.sample(rng_));
  const int k = static_cast<int>(breeders_.size());
  const int i = uniform_index(rng_, k);
  if (origin == Origin::Mutation) return restrict(space.mutate(breeders_[i], options_.mutation_prob, rng_));
  // Crossover of two different parents when there are two.
  const int j = k < 2 ? i : (i + 1 + uniform_index(rng_, k - 1)) % k;
  return restrict(space.crossover(breeders_[i], breeders_[j], rng_).first);
}

std::optional<Architecture> Spos::draw(Origin origin) {
  for (int t = 0; t < options_.max_tries; ++t) {
    Architecture c = generate(origin);
    std::string k = key(c);
    if (seen_.count(k)) continue;
    seen_.insert(std::move(k));  // rejected ones are never worth another look either
    if (passes_prefilter(c)) return c;
  }
  // SPOS tops up with random architectures when breeding yields nothing new.
  if (origin != Origin::Random) return draw(Origin::Random);
  return std::nullopt;
}

void Spos::begin_iteration() {
  to_replace_.clear();
  iteration_draws_ = 0;
  std::vector<Origin> plan;
  if (iteration_ == 0) {
    for (const Architecture& s : problem_.seeds) {
      problem_.space->check(s);
      Architecture a = restrict(s);
      if (!seen_.insert(key(a)).second || !passes_prefilter(a)) continue;
      queue_.push_back({std::move(a), Origin::Random});
    }
    plan.assign(options_.population > queue_.size() ? options_.population - queue_.size() : 0, Origin::Random);
  } else {
    breeders_.clear();
    for (const Member& m : top_) breeders_.push_back(m.arch);
    plan.assign(options_.mutations, Origin::Mutation);
    plan.insert(plan.end(), options_.crossovers, Origin::Crossover);
    if (plan.size() < options_.population) plan.insert(plan.end(), options_.population - plan.size(), Origin::Random);
  }
  for (Origin o : plan) {
    if (auto c = draw(o)) queue_.push_back({std::move(*c), o});
  }
  iteration_size_ = queue_.size();
  if (!queue_.empty()) return;
  if (iteration_ == 0 && prefilter_rejected_ > 0) fail_unsatisfiable(true);
  exhausted_ = true;  // every architecture the space holds has been proposed
}

void Spos::refill_or_advance() {
  const std::size_t cap = iteration_size_ * static_cast<std::size_t>(1 + options_.redraws);
  if (!to_replace_.empty() && iteration_draws_ < cap) {
    std::vector<Origin> again;
    again.swap(to_replace_);
    if (again.size() > cap - iteration_draws_) again.resize(cap - iteration_draws_);
    for (Origin o : again) {
      if (auto c = draw(o)) queue_.push_back({std::move(*c), o});
    }
    if (!queue_.empty()) return;
  }
  if (feasible_ == 0 && !problem_.constraints.empty()) fail_unsatisfiable(false);
  ++iteration_;
  begin_iteration();
}

std::vector<Architecture> Spos::ask(std::size_t n) {
  // The queue is refilled by tell() once an iteration's last result is in.
  std::vector<Architecture> out;
  while (out.size() < n && !queue_.empty()) {
    out.push_back(queue_.front().arch);
    asked_.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  iteration_draws_ += out.size();
  return out;
}

void Spos::check_prefilter(const Architecture& arch, const Evaluation& result) const {
  if (!problem_.early_metrics) return;
  for (const auto& [metric, early] : problem_.early_metrics(arch)) {
    const auto it = result.metrics.find(metric);
    if (it == result.metrics.end()) continue;
    if (std::abs(it->second - early) <= 1e-9 * std::max(1.0, std::abs(early))) continue;
    throw EvaluationError(problem_.who + ": the pre-filter computes " + metric + " = " + number(early) +
                          " from the lowered network, but the evaluation reported " + number(it->second) +
                          "; fix: in search.prefilter map only metrics that are exactly the network's MAC or parameter "
                          "count (e.g. the analytic model's macs/params)");
  }
}

void Spos::record(const Evaluation& result) {
  Member m{result.arch, problem_.fitness(result), told_};
  if (!std::isfinite(m.fitness))
    throw EvaluationError(problem_.who + ": fitness of " + key(result.arch) + " is not finite (" + number(m.fitness) +
                          "); fix: check the objectives' metrics and search.weights");
  const auto at = std::upper_bound(top_.begin(), top_.end(), m,
                                   [](const Member& a, const Member& b) { return a.fitness < b.fitness; });
  top_.insert(at, std::move(m));
  if (top_.size() > options_.parents) top_.pop_back();
  ++feasible_;
}

void Spos::tell(const std::vector<Evaluation>& results) {
  for (const Evaluation& r : results) {
    if (asked_.empty()) break;  // more results than asks: nothing to match them to
    const Pending p = std::move(asked_.front());
    asked_.pop_front();
    ++told_;
    check_prefilter(p.arch, r);
    if (r.feasible()) {
      record(r);
      continue;
    }
    note_violation(r.metrics);
    to_replace_.push_back(p.origin);
  }
  if (queue_.empty() && asked_.empty()) refill_or_advance();
}

std::optional<Spos::Member> Spos::best() const {
  if (top_.empty()) return std::nullopt;
  return top_.front();
}

std::string Spos::describe_misses() const {
  std::string broken;
  for (std::size_t k = 0; k < problem_.constraints.size(); ++k) {
    if (!std::isfinite(closest_violation_[k])) continue;
    broken += (broken.empty() ? "" : ", ") + describe(problem_.constraints[k]) + " (closest value seen " +
              number(closest_value_[k]) + ")";
  }
  return broken;
}

void Spos::fail_unsatisfiable(bool prefilter_only) const {
  std::string broken = describe_misses();
  std::string fix = "relax the limit";
  for (std::size_t k = 0; k < problem_.constraints.size(); ++k) {
    if (!std::isfinite(closest_violation_[k])) continue;
    fix = "relax the limit of " + describe(problem_.constraints[k]) + " towards " + number(closest_value_[k]);
    break;
  }
  if (broken.empty()) broken = "the constraints";
  if (prefilter_only)
    throw ConfigError(problem_.who + ": no architecture of the space meets " + broken + ": the pre-filter rejected all " +
                      std::to_string(prefilter_rejected_) + " drawn; fix: " + fix);
  throw EvaluationError(problem_.who + ": none of the " + std::to_string(told_) + " evaluated architectures meets " + broken +
                        "; the constraint looks unsatisfiable; fix: " + fix +
                        ", or raise search.redraws to draw longer before giving up");
}

}  // namespace nasctl::evolve
