// An in-process Session without the plugin loader: a small space, a provider
// whose metrics are a pure function of the architecture (and which counts its
// calls), and a scripted strategy that proposes given batches. Lets the run
// loop be tested for dedup, budgets and resume without any .so.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "nasctl/error.hpp"
#include "nasctl/metric_provider.hpp"
#include "nasctl/search_space.hpp"
#include "nasctl/search_strategy.hpp"
#include "nasctl/runtime/session.hpp"

namespace nasctl::test {

// Four variables of four choices: 256 architectures.
class GridSpace : public SearchSpace {
 public:
  GridSpace() {
    for (const char* name : {"a", "b", "c", "d"}) variables_.push_back(numeric_variable(name, {0, 1, 2, 3}));
  }
  const std::vector<DecisionVariable>& variables() const override { return variables_; }
  NetworkSpec lower(const Architecture&) const override { return {}; }

 private:
  std::vector<DecisionVariable> variables_;
};

// size = sum of choices (maximised), error = a + b (minimised): a and b trade
// one against the other, c and d only add size.
class SumProvider : public MetricProvider {
 public:
  std::vector<MetricInfo> metrics() const override {
    return {{"size", "count", "sum of choices"}, {"error", "count", "a + b"}};
  }
  Metrics provide(const Candidate& c) override {
    ++calls;
    const auto& a = c.arch;
    if (fail_on_size >= 0 && a[0] + a[1] + a[2] + a[3] == fail_on_size) throw EvaluationError("size " + std::to_string(fail_on_size) + " is cursed");
    return {{"size", static_cast<double>(a[0] + a[1] + a[2] + a[3])}, {"error", static_cast<double>(a[0] + a[1])}};
  }
  Conditions conditions() const override { return {{"method", "sum"}}; }
  std::atomic<int> calls{0};
  int fail_on_size = -1;
};

// Proposes the given batches in order (cut to n), then draws nothing more.
class ScriptedStrategy : public SearchStrategy {
 public:
  explicit ScriptedStrategy(std::vector<std::vector<Architecture>> batches, std::size_t batch = 4)
      : batches_(std::move(batches)), batch_(batch) {}
  void start(const Problem&) override { next_ = 0; }
  std::vector<Architecture> ask(std::size_t n) override {
    if (next_ >= batches_.size()) return {};
    std::vector<Architecture> out = batches_[next_++];
    if (out.size() > n && !overask) out.resize(n);
    return out;
  }
  void tell(const std::vector<Evaluation>& results) override {
    told.push_back(results);
    if (throw_on_tell && told.size() == throw_on_tell) throw ConfigError("scripted strategy gives up");
  }
  std::size_t preferred_batch() const override { return batch_; }

  std::vector<std::vector<Evaluation>> told;
  bool overask = false;
  std::size_t throw_on_tell = 0;  // throw from the n-th tell (1-based); 0: never

 private:
  std::vector<std::vector<Architecture>> batches_;
  std::size_t next_ = 0;
  std::size_t batch_;
};

// Walks the whole grid in order, batch after batch (deterministic, endless
// until the grid is done).
class GridWalk : public SearchStrategy {
 public:
  void start(const Problem&) override { next_ = 0; }
  std::vector<Architecture> ask(std::size_t n) override {
    std::vector<Architecture> out;
    for (; out.size() < n && next_ < 256; ++next_) out.push_back({next_ & 3, (next_ >> 2) & 3, (next_ >> 4) & 3, next_ >> 6});
    return out;
  }
  void tell(const std::vector<Evaluation>&) override {}
  std::size_t preferred_batch() const override { return 10; }
  bool exhausted() const override { return next_ >= 256; }

 private:
  int next_ = 0;
};

// Owns the descriptors the Session points at, and the Session.
struct FakeRun {
  runtime::LoadedPlugin space_plugin{"<in-process>", {kSdkAbiVersion, PluginKind::Space, {"grid", "1.0.0", "grid", {}}}, nullptr};
  runtime::LoadedPlugin search_plugin{"<in-process>", {kSdkAbiVersion, PluginKind::Search, {"scripted", "1.0.0", "scripted", {}}}, nullptr};
  runtime::LoadedPlugin provider_plugin{"<in-process>", {kSdkAbiVersion, PluginKind::Hardware, {"sum", "2.1.0", "sum", {}}}, nullptr};
  std::shared_ptr<SumProvider> provider = std::make_shared<SumProvider>();
  std::unique_ptr<runtime::Session> session = std::make_unique<runtime::Session>();

  FakeRun(std::shared_ptr<SearchStrategy> strategy, std::size_t budget_evaluations, double budget_seconds = 0.0) {
    runtime::Session& s = *session;
    s.config.file = "<test>";
    s.config.seed = 3;
    s.config.budget_evaluations = budget_evaluations;
    s.config.budget_seconds = budget_seconds;
    s.config.resolved_toml = "seed = 3\n";
    s.space = std::make_shared<GridSpace>();
    s.space_plugin = &space_plugin;
    s.search = std::move(strategy);
    s.search_plugin = &search_plugin;
    runtime::ProviderInstance p;
    p.instance = "hw";
    p.plugin = &provider_plugin;
    p.provider = provider;
    p.metrics = provider->metrics();
    s.providers.push_back(std::move(p));
    s.problem.space = s.space.get();
    s.problem.objectives = {{"hw.size", Goal::Maximize}, {"hw.error", Goal::Minimize}};
    s.problem.seed = s.config.seed;
    s.problem.evaluation_budget = budget_evaluations;
  }
};

}  // namespace nasctl::test
