// The resumable build engine: rows are appended as measured, a rerun skips
// what is there and retries failures, an interrupted write is repaired, and
// a table measured elsewhere is never extended.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <stdexcept>

#include "lut_support.hpp"
#include "nasctl/error.hpp"
#include "nasctl/lut/lut_build.hpp"
#include "nasctl/rng.hpp"

using namespace nasctl;
using namespace nasctl::test;

namespace {

const std::vector<std::string> kHeader{"# space: test", "# hardware: fake (plugin none 1.0.0), metric latency_ms",
                                       "# conditions: a=1"};

lut::BuildOptions options(const std::string& file, std::size_t limit = 0) {
  lut::BuildOptions o;
  o.file = file;
  o.header = kHeader;
  o.identity = {"hardware", "conditions"};
  o.limit = limit;
  return o;
}

struct Counting {
  std::size_t calls = 0;
  lut::LayerMeasurement operator()(const Layer& l) {
    ++calls;
    return {synthetic_latency(l), 0.0};
  }
};

// Each key at most once, and the set of ok keys.
std::set<std::string> ok_keys_once(const std::string& file) {
  const lut::LutFile f = lut::read_lut(file);  // throws on duplicates
  std::set<std::string> ok;
  for (const auto& e : f.entries) {
    if (e.status == lut::EntryStatus::Ok) ok.insert(e.key);
  }
  return ok;
}

std::set<std::string> keys(const std::vector<Layer>& layers) {
  std::set<std::string> k;
  for (const auto& l : layers) k.insert(l.key());
  return k;
}

}  // namespace

TEST_CASE("a fresh build writes the header and one ok row per distinct layer, reporting progress") {
  TempDir dir("lut-build");
  const auto layers = ofa_space({128})->distinct_layers();
  Counting measure;
  std::size_t progress_calls = 0;
  const lut::BuildReport r = lut::build_lut(layers, std::ref(measure), options(dir / "lut.csv"),
                                            [&](std::size_t done, std::size_t failed, std::size_t total) {
                                              ++progress_calls;
                                              CHECK(done == progress_calls);
                                              CHECK(failed == 0);
                                              CHECK(total == layers.size());
                                            });
  CHECK(r.signatures == layers.size());
  CHECK(r.measured == layers.size());
  CHECK_FALSE(r.resumed);
  CHECK(progress_calls == layers.size());
  CHECK(ok_keys_once(dir / "lut.csv") == keys(layers));
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  CHECK(f.comments.front() == lut::kFormatLine);
  CHECK(f.comment_value("conditions") == "a=1");
}

TEST_CASE("a rerun after a limited build measures only what is missing") {
  TempDir dir("lut-build");
  const auto layers = ofa_space({128})->distinct_layers();
  Counting first, second;
  const lut::BuildReport a = lut::build_lut(layers, std::ref(first), options(dir / "lut.csv", 25));
  CHECK(a.measured == 25);
  CHECK(a.left == layers.size() - 25);
  CHECK(ok_keys_once(dir / "lut.csv").size() == 25);
  const lut::BuildReport b = lut::build_lut(layers, std::ref(second), options(dir / "lut.csv"));
  CHECK(b.resumed);
  CHECK(b.present == 25);
  CHECK(second.calls == layers.size() - 25);
  CHECK(ok_keys_once(dir / "lut.csv") == keys(layers));
}

TEST_CASE("failed measurements become failed rows with the error, and a rerun retries exactly those") {
  TempDir dir("lut-build");
  const auto layers = ofa_space({128})->distinct_layers();
  std::size_t adds = 0;
  for (const auto& l : layers) adds += l.op == OpKind::Add;
  REQUIRE(adds > 0);
  const lut::MeasureLayer flaky = [](const Layer& l) {
    if (l.op == OpKind::Add) throw std::runtime_error("device busy,\nretry later");
    return lut::LayerMeasurement{synthetic_latency(l), 0.0};
  };
  const lut::BuildReport a = lut::build_lut(layers, flaky, options(dir / "lut.csv"));
  CHECK(a.failed == adds);
  CHECK(a.first_error.find("device busy, retry later") != std::string::npos);
  const lut::LutFile f = lut::read_lut(dir / "lut.csv");
  std::size_t failed_rows = 0;
  for (const auto& e : f.entries) {
    if (e.status != lut::EntryStatus::Failed) continue;
    ++failed_rows;
    CHECK(e.error == "device busy, retry later");
  }
  CHECK(failed_rows == adds);

  Counting good;
  const lut::BuildReport b = lut::build_lut(layers, std::ref(good), options(dir / "lut.csv"));
  CHECK(b.retried == adds);
  CHECK(good.calls == adds);
  CHECK(ok_keys_once(dir / "lut.csv") == keys(layers));
}

TEST_CASE("a nonsensical measurement (negative, NaN) is a failed row, not a number in the table") {
  TempDir dir("lut-build");
  const auto layers = ofa_space({128})->distinct_layers();
  const lut::MeasureLayer negative = [](const Layer&) { return lut::LayerMeasurement{-1.0, 0.0}; };
  const lut::BuildReport r = lut::build_lut(layers, negative, options(dir / "lut.csv", 3));
  CHECK(r.failed == 3);
  CHECK(r.first_error.find("returned latency -1") != std::string::npos);
}

TEST_CASE("a partial last row from an interrupted write is dropped and measured again") {
  TempDir dir("lut-build");
  const auto layers = ofa_space({128})->distinct_layers();
  Counting measure;
  lut::build_lut(layers, std::ref(measure), options(dir / "lut.csv", 10));
  write_text(dir / "lut.csv", read_text(dir / "lut.csv") + layers[10].key() + ",conv2d,16x64x6");
  Counting rest;
  const lut::BuildReport r = lut::build_lut(layers, std::ref(rest), options(dir / "lut.csv"));
  CHECK(r.repaired);
  CHECK(r.present == 10);
  CHECK(rest.calls == layers.size() - 10);
  CHECK(ok_keys_once(dir / "lut.csv") == keys(layers));
}

TEST_CASE("a table measured with other hardware or conditions, or without energy, is never extended") {
  TempDir dir("lut-build");
  const auto layers = ofa_space({128})->distinct_layers();
  Counting measure;
  lut::build_lut(layers, std::ref(measure), options(dir / "lut.csv", 5));
  lut::BuildOptions other = options(dir / "lut.csv");
  other.header[2] = "# conditions: a=2";
  CHECK_THROWS_WITH_AS(lut::build_lut(layers, std::ref(measure), other),
                       doctest::Contains("was measured with conditions 'a=1', this build has 'a=2'"), ConfigError);
  lut::BuildOptions energy = options(dir / "lut.csv");
  energy.energy = true;
  CHECK_THROWS_WITH_AS(lut::build_lut(layers, std::ref(measure), energy), doctest::Contains("energy"), ConfigError);
  CHECK(measure.calls == 5);
}

TEST_CASE("energy is written when the hardware gives it and read back by the lut plugin") {
  TempDir dir("lut-build");
  auto space = ofa_space({128});
  const auto layers = space->distinct_layers();
  lut::BuildOptions o = options(dir / "lut.csv");
  o.energy = true;
  const lut::MeasureLayer measure = [](const Layer&) { return lut::LayerMeasurement{0.5, 2.0}; };
  lut::build_lut(layers, measure, o);
  auto model = lut_model(dir / "lut.csv");
  Rng rng(1);
  const NetworkSpec spec = space->lower(space->sample(rng));
  const Metrics m = model->evaluate(spec);
  CHECK(m.at("latency_ms") == doctest::Approx(0.5 * static_cast<double>(spec.layers.size())));
  CHECK(m.at("energy_mj") == doctest::Approx(2.0 * static_cast<double>(spec.layers.size())));
}

TEST_CASE("with several passes each layer is measured once per pass, in turn, and its row holds the median") {
  TempDir dir("lut-build");
  const auto all = ofa_space({128})->distinct_layers();
  const std::vector<Layer> layers(all.begin(), all.begin() + 4);
  std::vector<std::string> order;
  std::map<std::string, int> calls;
  const lut::MeasureLayer measure = [&](const Layer& l) {
    order.push_back(l.key());
    const int n = calls[l.key()]++;
    return lut::LayerMeasurement{n == 1 ? 9.0 : 1.0 + n, 0.0};  // 1, 9, 3: median 3
  };
  lut::BuildOptions o = options(dir / "lut.csv");
  o.passes = 3;
  std::size_t last_total = 0;
  const lut::BuildReport r = lut::build_lut(layers, measure, o, [&](std::size_t, std::size_t, std::size_t total) {
    last_total = total;
  });
  CHECK(r.measured == 4);
  CHECK(last_total == 12);
  REQUIRE(order.size() == 12);
  CHECK(order[0] == layers[0].key());
  CHECK(order[4] == layers[0].key());  // in turn: the second pass starts after the first ends
  for (const auto& e : lut::read_lut(dir / "lut.csv").entries) CHECK(e.latency_ms == 3.0);
}
