// Staged searches in the run loop (nasctl/subspace.hpp): the sub-space a
// StagedSearch is in reaches every SubspaceAware provider once per change,
// with the run folder, before any candidate of the batch is evaluated;
// providers without the face are not told; a resumed run announces the same
// sub-spaces again, in the same order.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "fake_session.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "nasctl/subspace.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using nasctl::test::FakeRun;
using nasctl::test::ScriptedStrategy;
using nasctl::test::TempDir;

namespace {

// Batches 1 and 2 search {a, b} with c, d held at 0; batch 3 onwards
// searches {c, d} with a, b held at 3.
class StagedScripted : public ScriptedStrategy, public StagedSearch {
 public:
  using ScriptedStrategy::ScriptedStrategy;
  std::vector<Architecture> ask(std::size_t n) override {
    ++asks_;
    current_.name = asks_ <= 2 ? "stage1" : "stage2";
    current_.searchable = asks_ <= 2 ? std::vector<bool>{true, true, false, false}
                                     : std::vector<bool>{false, false, true, true};
    current_.base = asks_ <= 2 ? Architecture{0, 0, 0, 0} : Architecture{3, 3, 0, 0};
    current_.train_epochs = asks_ <= 2 ? 2 : 1;
    return ScriptedStrategy::ask(n);
  }
  void start(const Problem& p) override {
    asks_ = 0;
    ScriptedStrategy::start(p);
  }
  const SubSpace* current_subspace() const override { return asks_ ? &current_ : nullptr; }

 private:
  int asks_ = 0;
  SubSpace current_;
};

// Records each announcement and how many evaluations it had made by then.
class AwareProvider : public test::SumProvider, public SubspaceAware {
 public:
  void enter_subspace(const SubSpace& s, const std::string& run_dir) override {
    heard.push_back(s.name + " after " + std::to_string(calls.load()) + " in " + run_dir);
    epochs.push_back(s.train_epochs);
  }
  std::vector<std::string> heard;
  std::vector<int64_t> epochs;
};

std::vector<std::vector<Architecture>> batches() {
  return {{{0, 0, 0, 0}, {1, 0, 0, 0}}, {{0, 1, 0, 0}, {1, 1, 0, 0}}, {{3, 3, 1, 0}, {3, 3, 0, 1}}};
}

void run(FakeRun& fake, const std::string& dir, bool resume) {
  runtime::LocalEvaluator evaluator(*fake.session->space, fake.session->providers, 1);
  runtime::RunOptions options;
  options.out_dir = dir;
  options.resume = resume;
  runtime::run_search(*fake.session, evaluator, options);
}

}  // namespace

TEST_CASE("a staged search's sub-spaces reach the providers with the face once per change, before their evaluations") {
  TempDir dir("subspaces");
  auto strategy = std::make_shared<StagedScripted>(batches(), 2);
  FakeRun fake(strategy, 6);
  auto aware = std::make_shared<AwareProvider>();
  fake.session->providers[0].provider = aware;
  run(fake, dir.path().string(), false);
  const std::string in = " in " + dir.path().string();
  CHECK(aware->heard == std::vector<std::string>{"stage1 after 0" + in, "stage2 after 4" + in});
  CHECK(aware->epochs == std::vector<int64_t>{2, 1});
  CHECK(aware->calls == 6);

  SUBCASE("a resumed run announces the same sub-spaces again, in the same order") {
    auto again = std::make_shared<StagedScripted>(batches(), 2);
    FakeRun resumed(again, 6);
    auto listener = std::make_shared<AwareProvider>();
    resumed.session->providers[0].provider = listener;
    run(resumed, dir.path().string(), true);
    CHECK(listener->heard == std::vector<std::string>{"stage1 after 0" + in, "stage2 after 0" + in});
    CHECK(listener->calls == 0);  // everything answered from the journal
  }
}

TEST_CASE("a strategy without stages and providers without the face run as before") {
  TempDir dir("no-subspaces");
  auto strategy = std::make_shared<StagedScripted>(batches(), 2);
  FakeRun fake(strategy, 6);  // the plain SumProvider: not told, still measures
  run(fake, dir.path().string(), false);
  CHECK(fake.provider->calls == 6);

  TempDir other("plain-strategy");
  FakeRun plain(std::make_shared<ScriptedStrategy>(batches(), 2), 6);
  auto aware = std::make_shared<AwareProvider>();
  plain.session->providers[0].provider = aware;
  run(plain, other.path().string(), false);
  CHECK(aware->heard.empty());
  CHECK(aware->calls == 6);
}
