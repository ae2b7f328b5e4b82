#include "nasctl/evolve/nsga2.hpp"

#include <algorithm>
#include <numeric>

#include "nasctl/moo/crowding.hpp"
#include "nasctl/moo/sorting.hpp"
#include "nasctl/evolve/network_key.hpp"

namespace nasctl::evolve {

std::string Nsga2::key(const Architecture& arch) const { return network_key(*space_, arch); }

void Nsga2::start(const SearchSpace& space, uint64_t seed) {
  space_ = &space;
  rng_.seed(seed);
  const double n_vars = static_cast<double>(std::max<std::size_t>(1, space.variables().size()));
  mutation_prob_ = options_.mutation_prob < 0 ? 1.0 / n_vars : options_.mutation_prob;
  population_.clear();
  offspring_.clear();
  queue_.clear();
  seen_.clear();
  outstanding_ = 0;
  generation_ = 0;
  // Initial population: distinct random networks.
  while (queue_.size() < options_.population) {
    Architecture arch = space.sample(rng_);
    for (int t = 0; t < options_.max_redraws && !seen_.insert(key(arch)).second; ++t) arch = space.sample(rng_);
    queue_.push_back(std::move(arch));
  }
}

std::vector<Architecture> Nsga2::ask(std::size_t n) {
  if (queue_.empty() && outstanding_ == 0) fill_queue();
  std::vector<Architecture> out;
  while (out.size() < n && !queue_.empty()) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  outstanding_ += out.size();
  return out;
}

void Nsga2::tell(const std::vector<Evaluation>& results) {
  for (const auto& r : results) offspring_.push_back(Member{r.arch, r.objectives, r.violation, 0, 0.0});
  outstanding_ -= std::min(outstanding_, results.size());
  if (!queue_.empty() || outstanding_ > 0) return;  // generation not complete yet
  survive();
  offspring_.clear();
  ++generation_;
  fill_queue();
}

void Nsga2::survive() {
  // Parents and offspring compete; clones (same network) enter once.
  std::vector<Member> pool;
  std::unordered_set<std::string> keys;
  for (auto* group : {&population_, &offspring_}) {
    for (auto& m : *group) {
      if (keys.insert(key(m.arch)).second) pool.push_back(std::move(m));
    }
  }
  moo::Points points;
  std::vector<double> violations;
  for (const auto& m : pool) {
    points.push_back(m.objectives);
    violations.push_back(m.violation);
  }
  const moo::Fronts fronts = moo::non_dominated_fronts(points, violations);
  std::vector<Member> next;
  for (std::size_t rank = 0; rank < fronts.size() && next.size() < options_.population; ++rank) {
    const auto& front = fronts[rank];
    const std::vector<double> crowding = moo::crowding_distance(points, front);
    std::vector<std::size_t> order(front.size());
    std::iota(order.begin(), order.end(), 0);
    // Only the last admitted front is truncated: most crowded points go first.
    if (next.size() + front.size() > options_.population)
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return crowding[a] > crowding[b]; });
    for (std::size_t k : order) {
      if (next.size() >= options_.population) break;
      Member m = std::move(pool[front[k]]);
      m.rank = rank;
      m.crowding = crowding[k];
      next.push_back(std::move(m));
    }
  }
  population_ = std::move(next);
}

const Nsga2::Member& Nsga2::tournament() {
  const int n = static_cast<int>(population_.size());
  const Member& a = population_[uniform_index(rng_, n)];
  const Member& b = population_[uniform_index(rng_, n)];
  if (a.rank != b.rank) return a.rank < b.rank ? a : b;
  return b.crowding > a.crowding ? b : a;
}

void Nsga2::fill_queue() {
  if (population_.empty()) return;  // nothing told yet: nothing to breed from
  while (queue_.size() < options_.population) {
    const Member& p1 = tournament();
    const Member& p2 = tournament();
    std::pair<Architecture, Architecture> children{p1.arch, p2.arch};
    if (uniform_unit(rng_) < options_.crossover_prob) children = space_->crossover(p1.arch, p2.arch, rng_);
    for (Architecture* child : {&children.first, &children.second}) {
      if (queue_.size() >= options_.population) break;
      Architecture c = space_->mutate(*child, mutation_prob_, rng_);
      // Prefer networks never proposed; after max_redraws a repeat is
      // accepted (the run loop answers it without spending budget).
      for (int t = 0; t < options_.max_redraws && !seen_.insert(key(c)).second; ++t) c = space_->mutate(c, mutation_prob_, rng_);
      queue_.push_back(std::move(c));
    }
  }
}

}  // namespace nasctl::evolve
