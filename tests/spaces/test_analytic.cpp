// The analytic hardware model: exact counts from a NetworkSpec.
#include <doctest/doctest.h>

#include "analytic.hpp"
#include "nasctl/error.hpp"
#include "nasctl/network_spec.hpp"
#include "plugin_config.hpp"

using nasctl::hardware::analytic::AnalyticModel;

namespace {

// conv 3->4 k3 (BN, ReLU) on 8x8, global pool, linear 4->10 with bias.
nasctl::NetworkSpec tiny_network() {
  nasctl::NetworkBuilder b("tiny", {3, 8, 8});
  b.conv(4, 3, 1, 1, true, nasctl::ActivationKind::ReLU);
  b.global_avg_pool();
  b.linear(10, true);
  return std::move(b).finish();
}

}  // namespace

TEST_CASE("analytic declares macs, params and peak_activation_bytes") {
  const auto model = nasctl::test::make_plugin<AnalyticModel>();
  const auto metrics = model->metrics();
  REQUIRE(metrics.size() == 3);
  CHECK(metrics[0].name == "macs");
  CHECK(metrics[1].name == "params");
  CHECK(metrics[2].name == "peak_activation_bytes");
  CHECK(model->conditions().at("method").find("analytic") != std::string::npos);
  CHECK_FALSE(model->needs_exclusive_machine());
}

TEST_CASE("analytic counts a hand-checked network exactly") {
  const auto model = nasctl::test::make_plugin<AnalyticModel>();
  const nasctl::Metrics m = model->evaluate(tiny_network());
  CHECK(m.at("macs") == 9 * 3 * 4 * 64 + 4 * 10);
  CHECK(m.at("params") == (9 * 3 * 4 + 2 * 4) + (4 * 10 + 10));
  // Peak while the conv runs: its 3x8x8 input and 4x8x8 output, 4 bytes each.
  CHECK(m.at("peak_activation_bytes") == (3 * 64 + 4 * 64) * 4);
}

TEST_CASE("bytes_per_element scales the peak activation memory") {
  const auto model = nasctl::test::make_plugin<AnalyticModel>({{"bytes_per_element", int64_t{1}}});
  CHECK(model->evaluate(tiny_network()).at("peak_activation_bytes") == 3 * 64 + 4 * 64);
  CHECK(model->conditions().at("bytes_per_element") == "1");
}

TEST_CASE("bytes_per_element below 1 is a config error naming the key") {
  CHECK_THROWS_WITH_AS(nasctl::test::make_plugin<AnalyticModel>({{"bytes_per_element", int64_t{0}}}),
                       doctest::Contains("key 'plugin.bytes_per_element'"), nasctl::ConfigError);
}
