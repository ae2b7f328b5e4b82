// The run loop on an in-process problem: dedup, exact budgets, stop reasons,
// resume by replay, failures, and what the outputs hold.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_session.hpp"
#include "nasctl/batch_measurable.hpp"
#include "nasctl/csv.hpp"
#include "nasctl/error.hpp"
#include "nasctl/runtime/journal.hpp"
#include "nasctl/runtime/run_loop.hpp"
#include "temp_dir.hpp"

using namespace nasctl;
using nasctl::runtime::Journal;
using nasctl::runtime::LocalEvaluator;
using nasctl::runtime::RunOptions;
using nasctl::runtime::RunSummary;
using nasctl::test::FakeRun;
using nasctl::test::GridWalk;
using nasctl::test::ScriptedStrategy;
using nasctl::test::TempDir;

namespace {

RunSummary run(FakeRun& fake, const std::string& dir, bool resume = false, std::size_t threads = 1) {
  LocalEvaluator evaluator(*fake.session->space, fake.session->providers, threads);
  RunOptions options;
  options.out_dir = dir;
  options.resume = resume;
  return runtime::run_search(*fake.session, evaluator, options);
}

// evaluations.csv without its timing column, which differs run to run.
std::vector<std::vector<std::string>> rows_without_timing(const std::string& path) {
  CsvTable t = read_csv(path);
  const std::size_t timing = t.column("eval_seconds");
  std::vector<std::vector<std::string>> rows;
  for (auto row : t.rows) {
    row.erase(row.begin() + static_cast<std::ptrdiff_t>(timing));
    rows.push_back(row);
  }
  return rows;
}

std::string error_of(FakeRun& fake, const std::string& dir) {
  try {
    run(fake, dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("repeats within a batch and of earlier batches are evaluated once and answered from the records") {
  TempDir dir("loop");
  auto strategy = std::make_shared<ScriptedStrategy>(std::vector<std::vector<Architecture>>{
      {{0, 0, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}, {2, 0, 0, 0}}, {{1, 0, 0, 0}, {3, 0, 0, 0}}});
  FakeRun fake(strategy, 10);
  const RunSummary s = run(fake, dir.path().string());
  CHECK(fake.provider->calls == 4);
  CHECK(s.evaluations == 4);
  CHECK(s.stop_reason == "the strategy proposed nothing");
  CHECK(read_csv(dir / "evaluations.csv").rows.size() == 4);
  CHECK(Journal::read(dir / "journal.jsonl").size() == 4);

  // tell() answers every ask, in order; repeats carry the first result.
  REQUIRE(strategy->told.size() == 2);
  REQUIRE(strategy->told[0].size() == 4);
  CHECK(strategy->told[0][2].arch == Architecture{0, 0, 0, 0});
  CHECK(strategy->told[0][2].metrics == strategy->told[0][0].metrics);
  CHECK_FALSE(strategy->told[0][2].known);  // new in this batch, evaluated now
  REQUIRE(strategy->told[1].size() == 2);
  CHECK(strategy->told[1][0].known);  // from an earlier batch
  CHECK(strategy->told[1][0].metrics == strategy->told[0][1].metrics);
  CHECK(strategy->told[1][0].objectives == strategy->told[0][1].objectives);
  CHECK_FALSE(strategy->told[1][1].known);
  CHECK(strategy->told[1][1].metrics.at("hw.size") == 3.0);
}

TEST_CASE("the evaluation budget is met exactly when the batch size does not divide it") {
  TempDir dir("loop");
  FakeRun fake(std::make_shared<GridWalk>(), 25);
  const RunSummary s = run(fake, dir.path().string(), false, 2);
  CHECK(s.evaluations == 25);
  CHECK(s.stop_reason == "evaluation budget reached");
  CHECK(fake.provider->calls == 25);
  const CsvTable csv = read_csv(dir / "evaluations.csv");
  REQUIRE(csv.rows.size() == 25);
  for (std::size_t i = 0; i < csv.rows.size(); ++i) CHECK(csv.rows[i][0] == std::to_string(i));
  CHECK(Journal::read(dir / "journal.jsonl").size() == 25);
}

TEST_CASE("a strategy that has nothing more to propose ends the run") {
  TempDir dir("loop");
  FakeRun fake(std::make_shared<GridWalk>(), 1000);
  const RunSummary s = run(fake, dir.path().string());
  CHECK(s.evaluations == 256);
  CHECK(s.stop_reason == "the strategy has nothing more to propose");
}

TEST_CASE("pareto.csv holds every feasible non-dominated architecture, best first objective first") {
  TempDir dir("loop");
  FakeRun fake(std::make_shared<GridWalk>(), 256);
  const RunSummary s = run(fake, dir.path().string());
  // Maximise a+b+c+d, minimise a+b: the front is c = d = 3 with any a, b
  // (ties in objectives from different networks are all kept).
  const CsvTable front = read_csv(dir / "pareto.csv");
  CHECK(s.pareto_size == 16);
  REQUIRE(front.rows.size() == 16);
  double last_size = 1e9;
  for (std::size_t r = 0; r < front.rows.size(); ++r) {
    const std::string& arch = front.rows[r][front.column("arch")];
    CHECK(arch.find(";c=3;d=3") != std::string::npos);
    const double size = front.number(r, front.column("hw.size"));
    CHECK(size <= last_size);
    last_size = size;
  }
}

TEST_CASE("resuming replays the journal and evaluates only what is new, reaching the same files") {
  TempDir first("loop"), fresh("loop");
  {
    FakeRun fake(std::make_shared<GridWalk>(), 30);
    run(fake, first.path().string());
  }
  FakeRun resumed(std::make_shared<GridWalk>(), 50);
  const RunSummary s = run(resumed, first.path().string(), true);
  CHECK(s.replayed == 30);
  CHECK(s.evaluations == 50);
  CHECK(resumed.provider->calls == 20);
  CHECK(Journal::read(first / "journal.jsonl").size() == 50);

  FakeRun uninterrupted(std::make_shared<GridWalk>(), 50);
  run(uninterrupted, fresh.path().string());
  CHECK(rows_without_timing(first / "evaluations.csv") == rows_without_timing(fresh / "evaluations.csv"));
  CHECK(rows_without_timing(first / "pareto.csv") == rows_without_timing(fresh / "pareto.csv"));
}

TEST_CASE("a failing provider stops the run, keeps what completed and says how to resume") {
  TempDir dir("loop");
  FakeRun fake(std::make_shared<GridWalk>(), 100);
  fake.provider->fail_on_size = 5;
  const std::string e = error_of(fake, dir.path().string());
  CHECK(e.find("a=3;b=2;c=0;d=0: hw: size 5 is cursed (") == 0);
  CHECK(e.find("fix the cause, then `nasctl search --resume " + dir.path().string() + "`") != std::string::npos);
  const CsvTable csv = read_csv(dir / "evaluations.csv");
  CHECK(csv.rows.size() == Journal::read(dir / "journal.jsonl").size());
  CHECK(csv.rows.size() >= 10);
  for (std::size_t r = 0; r < csv.rows.size(); ++r) CHECK(csv.number(r, csv.column("hw.size")) != 5.0);
  const auto report = nlohmann::json::parse(nasctl::test::read_text(dir / "run.json"));
  CHECK(report["stop_reason"].get<std::string>().rfind("evaluation failed: a=3;b=2;c=0;d=0", 0) == 0);
}

TEST_CASE("a strategy that proposes more than it was asked for is an error naming it") {
  TempDir dir("loop");
  auto strategy = std::make_shared<ScriptedStrategy>(
      std::vector<std::vector<Architecture>>{{{0, 0, 0, 0}, {1, 0, 0, 0}, {2, 0, 0, 0}, {3, 0, 0, 0}, {0, 1, 0, 0}}});
  strategy->overask = true;
  FakeRun fake(strategy, 10);
  CHECK(error_of(fake, dir.path().string()).find("search plugin 'scripted' proposed 5 architectures when asked for at most 4") == 0);
}

TEST_CASE("an invalid architecture from the strategy is an error naming it") {
  TempDir dir("loop");
  auto strategy = std::make_shared<ScriptedStrategy>(std::vector<std::vector<Architecture>>{{{9, 0, 0, 0}}});
  FakeRun fake(strategy, 10);
  CHECK(error_of(fake, dir.path().string()).find("search plugin 'scripted' proposed an invalid architecture") == 0);
  CHECK(fake.provider->calls == 0);
}

TEST_CASE("run.json names the plugins with versions, the providers' conditions and the stop reason") {
  TempDir dir("loop");
  FakeRun fake(std::make_shared<GridWalk>(), 20);
  run(fake, dir.path().string());
  const auto j = nlohmann::json::parse(nasctl::test::read_text(dir / "run.json"));
  CHECK(j["stop_reason"] == "evaluation budget reached");
  CHECK(j["evaluations"] == 20);
  CHECK(j["seed"] == 3);
  REQUIRE(j["plugins"].size() == 3);
  CHECK(j["plugins"][2]["name"] == "sum");
  CHECK(j["plugins"][2]["version"] == "2.1.0");
  CHECK(j["providers"]["hw"]["conditions"]["method"] == "sum");
  CHECK(j["providers"]["hw"]["metrics"][0]["name"] == "hw.size");
  CHECK(j["pareto_size"].get<std::size_t>() >= 1);
  CHECK(j.contains("hypervolume"));
  CHECK_FALSE(j.contains("least_violating"));
}

TEST_CASE("a strategy error ends the run but the evaluations so far are written and journaled") {
  TempDir dir("loop");
  auto strategy = std::make_shared<ScriptedStrategy>(std::vector<std::vector<Architecture>>{
      {{0, 0, 0, 0}, {1, 0, 0, 0}}, {{2, 0, 0, 0}, {3, 0, 0, 0}}, {{0, 1, 0, 0}}});
  strategy->throw_on_tell = 2;
  FakeRun fake(strategy, 10);
  CHECK(error_of(fake, dir.path().string()) == "scripted strategy gives up");
  CHECK(read_csv((dir.path() / "evaluations.csv").string()).rows.size() == 4);
  CHECK(Journal::read((dir.path() / "journal.jsonl").string()).size() == 4);
  CHECK(nlohmann::json::parse(std::ifstream(dir.path() / "run.json"))["stop_reason"] == "stopped by an error");
}

namespace {

// A timing provider that measures batches (nasctl::BatchMeasurable, as
// `measure` does): its latency is the network's position in the batch.
class BatchProvider : public HardwareModel, public BatchMeasurable {
 public:
  std::vector<MetricInfo> metrics() const override { return {{"latency_ms", "ms", "position in its batch"}}; }
  Metrics evaluate(const NetworkSpec&) override {
    ++single_calls;
    return {{"latency_ms", -1.0}};
  }
  bool needs_exclusive_machine() const override { return true; }
  std::vector<Outcome> evaluate_batch(const std::vector<const NetworkSpec*>& networks,
                                      const std::function<void(std::size_t)>&) override {
    batch_sizes.push_back(networks.size());
    std::vector<Outcome> out(networks.size());
    for (std::size_t i = 0; i < networks.size(); ++i) {
      if (i == fail_at)
        out[i].error = "network " + std::to_string(i) + " did not build";
      else
        out[i].metrics = {{"latency_ms", static_cast<double>(i)}};
    }
    return out;
  }
  std::vector<std::size_t> batch_sizes;
  int single_calls = 0;
  std::size_t fail_at = 99;
};

}  // namespace

TEST_CASE("a timing provider that measures batches gets a batch's networks at once, a failure staying its own") {
  test::GridSpace space;
  auto provider = std::make_shared<BatchProvider>();
  provider->fail_at = 2;
  std::vector<runtime::ProviderInstance> providers(1);
  providers[0].instance = "gpu";
  providers[0].provider = provider;
  providers[0].metrics = provider->metrics();
  LocalEvaluator evaluator(space, providers, 2);
  std::vector<runtime::EvaluationRecord> records(4);
  std::vector<runtime::EvaluationRecord*> jobs;
  for (int i = 0; i < 4; ++i) {
    records[i].index = static_cast<std::size_t>(i);
    records[i].arch = {i, 0, 0, 0};
    jobs.push_back(&records[i]);
  }
  std::vector<std::size_t> done;
  evaluator.evaluate(jobs, [&](runtime::EvaluationRecord& r) { done.push_back(r.index); });
  CHECK(provider->batch_sizes == std::vector<std::size_t>{4});
  CHECK(provider->single_calls == 0);
  CHECK(records[0].metrics.at("gpu.latency_ms") == 0);
  CHECK(records[3].metrics.at("gpu.latency_ms") == 3);
  CHECK(records[2].error == "gpu: network 2 did not build");
  CHECK(done == std::vector<std::size_t>{0, 1, 2, 3});

  // A batch of one is measured as before, through evaluate().
  runtime::EvaluationRecord alone;
  alone.arch = {1, 1, 0, 0};
  evaluator.evaluate({&alone}, [](runtime::EvaluationRecord&) {});
  CHECK(provider->single_calls == 1);
  CHECK(alone.metrics.at("gpu.latency_ms") == -1);
}
