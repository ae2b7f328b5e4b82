// The fast per-network sum: for every network it equals the sum over
// Layer::key() lookups, whatever order networks arrive in and from however
// many threads, including layers too large for the packed cache.
#include <doctest/doctest.h>

#include <map>
#include <thread>

#include "lut_support.hpp"
#include "nasctl/lut/lookup_table.hpp"
#include "nasctl/rng.hpp"

using namespace nasctl;
using namespace nasctl::test;

namespace {

// The reference: one string key per layer, looked up in a plain map.
double reference_sum(const lut::LutFile& file, const NetworkSpec& spec) {
  std::map<std::string, double> by_key;
  for (const auto& e : file.entries) by_key[e.key] = e.latency_ms;
  double sum = 0;
  for (const Layer& l : spec.layers) sum += by_key.at(l.key());
  return sum;
}

}  // namespace

TEST_CASE("the sum over random OFA sub-networks equals the sum of key() lookups") {
  TempDir dir("lut-sum");
  auto space = ofa_space({128, 176, 224});
  write_table(dir / "lut.csv", space->distinct_layers());
  const lut::LutFile file = lut::read_lut(dir / "lut.csv");
  const lut::LookupTable table(file);
  Rng rng(3);
  for (int i = 0; i < 300; ++i) {
    const NetworkSpec spec = space->lower(space->sample(rng));
    const lut::NetworkSum sum = table.sum(spec);
    REQUIRE(sum.complete());
    CHECK(sum.latency_ms == doctest::Approx(reference_sum(file, spec)).epsilon(1e-12));
    CHECK(table.sum(spec).latency_ms == sum.latency_ms);  // cached path, same answer
  }
}

TEST_CASE("layers that differ only in fields key() ignores share an entry") {
  TempDir dir("lut-sum");
  NetworkBuilder b("n", {8, 8, 8});
  b.add(kNetworkInput, kNetworkInput);
  NetworkSpec spec = std::move(b).finish();
  write_table(dir / "lut.csv", spec.layers, [](const Layer&) { return 0.5; });
  const lut::LookupTable table(lut::read_lut(dir / "lut.csv"));
  spec.layers[0].kernel = 7;  // an Add's key has no kernel
  spec.layers[0].hidden = 3;
  CHECK(table.sum(spec).latency_ms == 0.5);
  CHECK(table.sum(spec).complete());
}

TEST_CASE("layers too large to pack are looked up by key every time, with the same result") {
  TempDir dir("lut-sum");
  NetworkBuilder b("huge", {8, 1, 1});
  b.linear(int64_t{1} << 23, true);  // 8M features: past the packed width
  const NetworkSpec spec = std::move(b).finish();
  write_table(dir / "lut.csv", spec.layers, [](const Layer&) { return 3.0; });
  const lut::LookupTable table(lut::read_lut(dir / "lut.csv"));
  CHECK(table.sum(spec).latency_ms == 3.0);
  CHECK(table.sum(spec).latency_ms == 3.0);
  NetworkSpec other = spec;
  other.layers[0].out.channels += 1;
  CHECK(table.sum(other).unusable_layers == 1);
  CHECK(table.unusable_report(other).find("1 layer signature without an entry") != std::string::npos);
}

TEST_CASE("concurrent sums from several threads equal the serial ones") {
  TempDir dir("lut-sum");
  auto space = ofa_space({160, 224});
  write_table(dir / "lut.csv", space->distinct_layers());
  const lut::LookupTable table(lut::read_lut(dir / "lut.csv"));
  Rng rng(11);
  std::vector<NetworkSpec> specs;
  for (int i = 0; i < 200; ++i) specs.push_back(space->lower(space->sample(rng)));
  const lut::LookupTable serial_table(lut::read_lut(dir / "lut.csv"));
  std::vector<double> serial;
  for (const auto& s : specs) serial.push_back(serial_table.sum(s).latency_ms);

  std::vector<std::vector<double>> results(4, std::vector<double>(specs.size()));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      // Each thread walks the networks in its own order, so cache misses race.
      for (std::size_t k = 0; k < specs.size(); ++k) {
        const std::size_t step = t % 2 ? specs.size() - 1 - k : k;  // odd threads walk backwards
        const std::size_t i = (step + t * 37) % specs.size();
        results[t][i] = table.sum(specs[i]).latency_ms;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) CHECK(r == serial);
}
