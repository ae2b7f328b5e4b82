// Random search: uniform samples of the space. The baseline every other
// strategy must beat, and a sanity check of a space's sampler.
#include <string>
#include <unordered_set>

#include "nasctl/export.hpp"

namespace {

class RandomSearch : public nasctl::SearchStrategy {
 public:
  explicit RandomSearch(const nasctl::PluginContext& ctx)
      : batch_(static_cast<std::size_t>(ctx.config.get_int("batch"))),
        max_redraws_(static_cast<int>(ctx.config.get_int("max_redraws"))) {}

  void start(const nasctl::Problem& problem) override {
    space_ = problem.space;
    rng_.seed(problem.seed);
  }

  std::vector<nasctl::Architecture> ask(std::size_t n) override {
    std::vector<nasctl::Architecture> out;
    for (std::size_t i = 0; i < n; ++i) {
      // Redraw networks already proposed, so the budget buys distinct ones;
      // a small space may run out, and then repeats are proposed (the run
      // loop answers those from its records and stops when nothing is new).
      nasctl::Architecture arch = space_->sample(rng_);
      for (int tries = 0; tries < max_redraws_ && !seen_.insert(key(arch)).second; ++tries) arch = space_->sample(rng_);
      out.push_back(std::move(arch));
    }
    return out;
  }

  void tell(const std::vector<nasctl::Evaluation>&) override {}
  std::size_t preferred_batch() const override { return batch_; }

 private:
  std::string key(const nasctl::Architecture& arch) const { return space_->to_string(space_->canonicalize(arch)); }

  const nasctl::SearchSpace* space_ = nullptr;
  nasctl::Rng rng_;
  std::size_t batch_;
  int max_redraws_;
  std::unordered_set<std::string> seen_;
};

nasctl::PluginInfo describe() {
  return {"random",
          "1.0.0",
          "Uniform random sampling of the space (baseline)",
          {nasctl::ConfigKey::integer("batch", 16, "Architectures proposed per ask (evaluated in parallel)").at_least(1),
           nasctl::ConfigKey::integer("max_redraws", 100, "Redraws of an already proposed architecture before accepting a repeat").at_least(0)}};
}

}  // namespace

NASCTL_EXPORT_SEARCH(RandomSearch, describe)
