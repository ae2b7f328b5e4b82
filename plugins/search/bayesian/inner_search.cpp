#include "inner_search.hpp"

#include <algorithm>

namespace nasctl::search::bayesian {

std::string canonical_key(const SearchSpace& space, const Architecture& arch) {
  return space.to_string(space.canonicalize(arch));
}

namespace {

// Candidates made this search; each canonical network is scored once.
class Pool {
 public:
  Pool(const SearchSpace& space, const std::unordered_set<std::string>& excluded) : space_(space), excluded_(excluded) {}

  // Queues `arch` for scoring unless it is excluded or was made before.
  bool admit(Architecture arch, std::vector<Scored>& batch) {
    std::string key = canonical_key(space_, arch);
    if (excluded_.count(key) || !seen_.insert(key).second) return false;
    batch.push_back({std::move(arch), std::move(key), 0.0});
    return true;
  }

 private:
  const SearchSpace& space_;
  const std::unordered_set<std::string>& excluded_;
  std::unordered_set<std::string> seen_;
};

void score_batch(const BatchScore& score, std::vector<Scored>& batch) {
  std::vector<Architecture> archs;
  archs.reserve(batch.size());
  for (const auto& s : batch) archs.push_back(s.arch);
  const std::vector<double> values = score(archs);
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].score = values[i];
}

// Parents, then children, best first; a stable sort keeps the earlier of equals.
void survive(std::vector<Scored>& population, std::vector<Scored>&& children, std::size_t size) {
  for (auto& c : children) population.push_back(std::move(c));
  std::stable_sort(population.begin(), population.end(),
                   [](const Scored& a, const Scored& b) { return a.score > b.score; });
  if (population.size() > size) population.resize(size);
}

}  // namespace

std::vector<Scored> maximise_acquisition(const SearchSpace& space, const BatchScore& score,
                                         const std::vector<Architecture>& carry,
                                         const std::vector<Architecture>& seeds,
                                         const std::unordered_set<std::string>& excluded,
                                         const InnerSearchOptions& options, Rng& rng) {
  const std::size_t size = std::max<std::size_t>(2, options.population);
  const double p = 1.0 / static_cast<double>(std::max<std::size_t>(1, space.variables().size()));
  const int redraws = std::max(0, options.max_redraws);
  Pool pool(space, excluded);

  // Made anew until it is new: a measured seed mutated to itself is excluded.
  auto admit_mutant = [&](const Architecture& parent, std::vector<Scored>& batch) {
    for (int t = 0; t <= redraws; ++t) {
      if (pool.admit(space.mutate(parent, p, rng), batch)) return true;
    }
    return false;
  };

  std::vector<Scored> first;
  for (const auto& arch : carry) {
    if (first.size() < size) pool.admit(arch, first);
  }
  for (std::size_t i = 0; i < seeds.size() && first.size() < size; ++i) admit_mutant(seeds[i], first);
  for (std::size_t t = 0; first.size() < size && t < size * static_cast<std::size_t>(redraws + 1); ++t)
    pool.admit(space.sample(rng), first);
  if (first.empty()) return {};
  score_batch(score, first);
  std::vector<Scored> population;
  survive(population, std::move(first), size);

  auto tournament = [&]() -> const Scored& {
    const int n = static_cast<int>(population.size());
    const Scored& a = population[static_cast<std::size_t>(uniform_index(rng, n))];
    const Scored& b = population[static_cast<std::size_t>(uniform_index(rng, n))];
    return b.score > a.score ? b : a;
  };

  for (int g = 0; g < options.generations; ++g) {
    std::vector<Scored> children;
    for (std::size_t t = 0; children.size() < size && t < size * 2; ++t) {
      const Scored& a = tournament();
      const Scored& b = tournament();
      const Architecture child = uniform_unit(rng) < 0.5 ? space.crossover(a.arch, b.arch, rng).first : a.arch;
      admit_mutant(child, children);
    }
    if (children.empty()) break;  // the neighbourhood is exhausted
    score_batch(score, children);
    survive(population, std::move(children), size);
  }
  return population;
}

}  // namespace nasctl::search::bayesian
