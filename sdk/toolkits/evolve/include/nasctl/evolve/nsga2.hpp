// NSGA-II (Deb et al. 2002) as an ask/tell strategy over a discrete space:
// binary tournament on (constrained rank, crowding), the space's crossover
// and per-variable mutation, rank + crowding survival with Deb's constraint
// domination. One generation = `population` offspring; asks hand them out in
// pieces of any size, and survival runs once the whole generation is told.
#pragma once

#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include "nasctl/search_space.hpp"
#include "nasctl/search_strategy.hpp"

namespace nasctl::evolve {

struct Nsga2Options {
  std::size_t population = 50;
  double crossover_prob = 0.9;
  double mutation_prob = -1.0;  // per variable; < 0: 1 / number of variables
  int max_redraws = 20;         // tries to make an offspring not seen before
};

class Nsga2 {
 public:
  struct Member {
    Architecture arch;
    std::vector<double> objectives;
    double violation = 0.0;
    std::size_t rank = 0;
    double crowding = 0.0;
  };

  explicit Nsga2(Nsga2Options options) : options_(options) {}

  void start(const SearchSpace& space, uint64_t seed);
  std::vector<Architecture> ask(std::size_t n);
  void tell(const std::vector<Evaluation>& results);

  const std::vector<Member>& population() const { return population_; }
  std::size_t generation() const { return generation_; }

 private:
  void fill_queue();
  void survive();
  const Member& tournament();
  std::string key(const Architecture& arch) const;

  Nsga2Options options_;
  const SearchSpace* space_ = nullptr;
  Rng rng_;
  double mutation_prob_ = 0.0;
  std::vector<Member> population_;
  std::vector<Member> offspring_;       // told members of the current generation
  std::deque<Architecture> queue_;      // proposed next, not yet asked
  std::size_t outstanding_ = 0;         // asked, not yet told
  std::unordered_set<std::string> seen_;
  std::size_t generation_ = 0;
};

}  // namespace nasctl::evolve
